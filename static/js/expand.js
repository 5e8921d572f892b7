// Expanding and collapsing the picture on the page. A click, Enter or Space on a fold's `×N` box
// or on a collapsed module's box draws it in full; the same on an expanded module's cluster (its
// label) draws it as one box. What is open or shut lives in two hidden form fields, `unfold` and
// `fold` (space-separated ids: g0 a fold, m1 a module call), so the share token carries it
// (share.js reads the form) and the server draws a shared link as it was; the page re-runs.
// An opened fold has no box left to click: "Fold the loops again" (shown while one is open)
// takes every fold id out of `unfold`.

const ID = /^[gm][0-9]{1,6}$/
const FOLD = /^g[0-9]{1,6}$/
const DRAG_THRESHOLD = 4 // as graph.js: a drag that pans the picture is not a click

export function initExpand(form, root) {
  const unfold = form.querySelector('#unfold-field')
  const fold = form.querySelector('#fold-field')
  if (!unfold || !fold) return { attach() {} }
  let down = null

  const read = (field) => new Set(field.value.split(/\s+/).filter((id) => ID.test(id)))
  const write = (field, ids) => {
    field.value = [...ids].join(' ')
  }

  function toggle(id, expand) {
    const open = read(unfold)
    const shut = read(fold)
    if (expand) {
      shut.delete(id)
      open.add(id)
    } else {
      open.delete(id)
      shut.add(id)
    }
    // an id in both (a share link's state): shut, as the server draws it (fold wins)
    for (const other of shut) open.delete(other)
    write(unfold, open)
    write(fold, shut)
    htmx.trigger(form, 'pg-run')
  }

  // what a click or key on `target` does: [id, expand?] or null
  function action(target) {
    const svg = root.querySelector('#graph svg')
    const g = target.closest?.('g.node.fold, g.node.module, g.cluster.module')
    if (!g || !svg || !svg.contains(g) || !ID.test(g.id)) return null
    return [g.id, !g.classList.contains('cluster')]
  }

  function refold() {
    write(unfold, [...read(unfold)].filter((id) => !FOLD.test(id)))
    htmx.trigger(form, 'pg-run')
  }

  function attach() {
    const again = root.querySelector('[data-refold]')
    if (again) again.hidden = ![...read(unfold)].some((id) => FOLD.test(id))
    const svg = root.querySelector('#graph svg')
    if (!svg) return
    const said = root.querySelector('#graph').dataset // the page's words, in its language
    for (const g of svg.querySelectorAll('g.node.fold, g.node.module, g.cluster.module')) {
      const title = g.querySelector(':scope > title')?.textContent.trim() || g.id
      const expand = !g.classList.contains('cluster')
      g.setAttribute('tabindex', '0')
      g.setAttribute('role', 'button')
      g.setAttribute('aria-expanded', expand ? 'false' : 'true')
      g.setAttribute('aria-label', `${expand ? said.expand || 'Expand' : said.collapse || 'Collapse'}: ${title}`)
      g.classList.add('toggles')
    }
  }

  root.addEventListener('pointerdown', (event) => {
    down = { x: event.clientX, y: event.clientY }
  })
  root.addEventListener('click', (event) => {
    const moved = down && Math.hypot(event.clientX - down.x, event.clientY - down.y) >= DRAG_THRESHOLD
    down = null
    if (event.target.closest?.('[data-refold]')) return refold()
    const found = !moved && action(event.target)
    if (found) toggle(...found)
  })
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return
    const found = action(event.target)
    if (!found) return
    event.preventDefault()
    toggle(...found)
  })
  // a changed program has other folds and modules: its picture starts from the defaults
  form.addEventListener('input', (event) => {
    if (event.target.name === 'source' || event.target.name === 'input_value') {
      write(unfold, [])
      write(fold, [])
    }
  })

  return { attach }
}
