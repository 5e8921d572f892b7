// The inline SVG graph: tooltips on hover/focus, details on click/Enter, pan (drag) and zoom
// (wheel, buttons), fit to screen. Node <g> elements carry the model's ids (t0, f0, e0), so the
// server-rendered tooltips (#tip-t0) and details (#detail-t0) are found by id.

const ZOOM_STEP = 1.25
const DRAG_THRESHOLD = 4
const MIN_HEIGHT = 240
// The first view's scale (CSS pixels per SVG unit): every text of the graph at least
// LEAST_TEXT_PX; where the whole graph would be smaller, the first view shows its start (the
// inputs: the left of a wide layout, the top of a tall one) and the rest is a pan away ("fit"
// shows it all). A small graph is not blown up past MAX_SCALE (presenter mode: to the frame).
const LEAST_TEXT_PX = 12
const MAX_SCALE = 1.5

export function initGraph(root, { onSelect }) {
  let svg = null
  let home = null // the viewBox Graphviz drew: "fit to screen"
  let view = null
  let drag = null
  let selected = null

  const viewport = () => root.querySelector('#graph')
  // ids are looked up inside root: a notebook can hold several views, each with its own t0
  const byId = (id) => root.querySelector(`[id="${CSS.escape(id)}"]`)

  function nodes() {
    return svg ? [...svg.querySelectorAll('g.node')].filter((g) => detailFor(g.id)) : []
  }

  function detailFor(id) {
    return id ? byId(`detail-${id}`) : null
  }

  function attach() {
    svg = viewport()?.querySelector('svg') ?? null
    const previous = selected
    selected = null
    if (!svg) return
    home = drawnBox()
    svg.removeAttribute('width')
    svg.removeAttribute('height')
    firstView()
    svg.setAttribute('role', 'group')
    svg.setAttribute('aria-labelledby', 'graph-title')
    for (const g of nodes()) {
      const title = byId(`tip-${g.id}`)?.querySelector('.tip-title')
      g.setAttribute('tabindex', '0')
      g.setAttribute('role', 'button')
      // The SVG's own <title> is the node's visible text (app/render/titles.py): a spoken name
      // that contains what is seen (WCAG 2.5.3); the tooltip's title is the fallback.
      const own = g.querySelector(':scope > title')
      const name = own?.textContent.trim() || title?.textContent.trim() || g.id
      g.setAttribute('aria-label', name)
      g.setAttribute('aria-describedby', `tip-${g.id}`)
    }
    visitOrder([])
    if (previous && detailFor(previous)) select(previous) // same program, new run: same node
  }

  // Tab visits the nodes in the data flow's order, inputs first (#result-meta's data-tab-order,
  // app/web/order.py), not Graphviz's drawing order: `first` (the backward replay's order) leads.
  // The DOM order is the tab order, so the nodes are moved; they paint over the edges as before.
  function visitOrder(first) {
    if (!svg) return
    const flow = root.querySelector('#result-meta')?.dataset.tabOrder?.split(' ') ?? []
    const drawn = new Map([...svg.querySelectorAll('g.node')].map((g) => [g.id, g]))
    const placed = new Set()
    for (const id of [...first, ...flow]) {
      if (!id || placed.has(id)) continue
      placed.add(id)
      const g = drawn.get(id)
      if (g) g.parentNode.append(g)
    }
  }

  // "fit" frames what is drawn: the nodes and edges, without the picture's legend (hidden by
  // CSS; the page shows its own) and without Graphviz's margins
  function drawnBox() {
    const box = svg.viewBox.baseVal
    const whole = { x: box.x, y: box.y, w: box.width, h: box.height }
    const graph = svg.querySelector('g.graph')
    const parts = [...svg.querySelectorAll('g.node, g.edge')].filter((g) => g.id !== 'legend')
    if (!graph || !parts.length) return whole
    let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity]
    for (const part of parts) {
      const b = part.getBBox()
      left = Math.min(left, b.x)
      top = Math.min(top, b.y)
      right = Math.max(right, b.x + b.width)
      bottom = Math.max(bottom, b.y + b.height)
    }
    const matrix = graph.transform.baseVal.consolidate()?.matrix ?? new DOMMatrix()
    const corner = new DOMPoint(left, top).matrixTransform(matrix)
    const pad = 4
    return {
      x: corner.x - pad,
      y: corner.y - pad,
      w: (right - left) * matrix.a + 2 * pad,
      h: (bottom - top) * matrix.d + 2 * pad,
    }
  }

  // the smallest font size of the graph's own text (not the picture's legend), in SVG units
  function smallestFont() {
    let least = Infinity
    for (const text of svg.querySelectorAll('g.node:not(#legend) text, g.edge text')) {
      const size = Number.parseFloat(text.getAttribute('font-size'))
      if (size > 0) least = Math.min(least, size)
    }
    return Number.isFinite(least) ? least : LEAST_TEXT_PX
  }

  // The first view: the whole graph when all its text is legible at this size, else its start
  // at a legible size, to pan from. A wide, flat graph gets a shorter viewport, and a graph of
  // two nodes is not blown up to fill it.
  function firstView(whole = false) {
    const area = viewport()
    if (!whole) area.style.height = '' // "fit" keeps the height the viewport has now
    const tallest = area.clientHeight
    const width = area.clientWidth
    // presenter mode (/embed?present=1): the graph fills the frame, however few its nodes
    const cap = document.body.classList.contains('present') ? Infinity : MAX_SCALE
    const fitAll = Math.min(width / home.w, tallest / home.h, cap)
    // (a hair over the least: rounding in the browser must not leave a text at 11.99 px)
    const scale = whole ? fitAll : Math.max(fitAll, (LEAST_TEXT_PX / smallestFont()) * 1.001)
    const height = whole ? tallest : Math.max(MIN_HEIGHT, Math.min(tallest, home.h * scale + 16))
    area.style.height = `${Math.round(height)}px`
    // from the box the SVG really gets (borders and rounding): its text is then `scale` exactly
    const w = area.clientWidth / scale
    const h = area.clientHeight / scale
    const x = w >= home.w ? home.x - (w - home.w) / 2 : home.x
    const y = h >= home.h ? home.y - (h - home.h) / 2 : home.y
    view = { x, y, w, h }
    apply()
  }


  function apply() {
    if (!svg || !view) return
    svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`)
  }

  function zoom(factor, cx, cy) {
    if (!view) return
    const x = cx ?? view.x + view.w / 2
    const y = cy ?? view.y + view.h / 2
    const w = Math.min(Math.max(view.w / factor, home.w / 20), home.w * 8)
    const scale = w / view.w
    view = { x: x - (x - view.x) * scale, y: y - (y - view.y) * scale, w, h: view.h * scale }
    apply()
  }

  function fit() {
    if (home) firstView(true)
  }

  function svgPoint(clientX, clientY) {
    const matrix = svg.getScreenCTM()
    if (!matrix) return null
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse())
    return point
  }

  function unitsPerPixel() {
    const rect = svg.getBoundingClientRect()
    return Math.max(view.w / rect.width, view.h / rect.height)
  }

  function showTip(g, clientX, clientY) {
    hideTips()
    const tip = byId(`tip-${g.id}`)
    if (!tip) return
    const area = viewport().getBoundingClientRect()
    let x = clientX
    let y = clientY
    if (x === undefined) {
      const box = g.getBoundingClientRect()
      x = box.right
      y = box.top + box.height / 2
    }
    tip.hidden = false
    const left = Math.min(x - area.left + 14, area.width - tip.offsetWidth - 4)
    const top = Math.min(y - area.top + 14, area.height - tip.offsetHeight - 4)
    tip.style.left = `${Math.max(4, left)}px`
    tip.style.top = `${Math.max(4, top)}px`
  }

  function hideTips() {
    for (const tip of root.querySelectorAll('.tip:not([hidden])')) tip.hidden = true
  }

  function select(id) {
    const detail = detailFor(id)
    if (!detail) return
    for (const other of root.querySelectorAll('.node-detail')) other.hidden = other !== detail
    root.querySelector('.details-hint')?.setAttribute('hidden', '')
    for (const g of nodes()) g.classList.toggle('selected', g.id === id)
    selected = id
    // details sit beside the graph (CSS: .graph-row.has-selection); where the screen is too
    // narrow for that they follow it, scrolled into view
    const row = root.querySelector('#graph-row')
    if (row && !row.classList.contains('has-selection')) {
      row.classList.add('has-selection')
      if (home) firstView()
    }
    if (!detail.checkVisibility?.() || detail.getBoundingClientRect().top > window.innerHeight) {
      detail.scrollIntoView({ block: 'nearest' })
    }
    onSelect(detail)
  }

  function highlightLine(line) {
    const hits = []
    for (const detail of root.querySelectorAll('.node-detail')) {
      const from = Number(detail.dataset.line)
      const to = Number(detail.dataset.endLine) || from
      if (from > 0 && line >= from && line <= to) hits.push(detail.dataset.node)
    }
    for (const g of nodes()) g.classList.toggle('line-hit', hits.includes(g.id))
    return hits
  }

  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-zoom]')
    if (button) {
      const kind = button.dataset.zoom
      if (kind === 'fit') fit()
      else zoom(kind === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP)
      return
    }
    if (drag && drag.moved) return
    const g = event.target.closest('g.node')
    if (g && svg && svg.contains(g)) select(g.id)
  })
  root.addEventListener('mouseover', (event) => {
    const g = event.target.closest('g.node')
    if (g && svg && svg.contains(g) && detailFor(g.id)) showTip(g, event.clientX, event.clientY)
  })
  root.addEventListener('mousemove', (event) => {
    const g = event.target.closest('g.node')
    if (g && svg && svg.contains(g) && detailFor(g.id)) showTip(g, event.clientX, event.clientY)
  })
  root.addEventListener('mouseout', (event) => {
    const g = event.target.closest('g.node')
    if (g && !g.contains(event.relatedTarget)) hideTips()
  })
  root.addEventListener('focusin', (event) => {
    const g = event.target.closest('g.node')
    if (g) showTip(g)
  })
  root.addEventListener('focusout', hideTips)
  // the backward replay (static/js/backward.js): its order leads; the stepped op takes the focus
  // from a node that has it (a keyboard user follows the step; the live region says it)
  root.addEventListener('pg-backward-step', (event) => {
    if (!svg) return
    const { order, current } = event.detail
    const focused = svg.contains(document.activeElement) ? document.activeElement : null
    visitOrder(order)
    const g = current && svg.querySelector(`g.node[id="${CSS.escape(current)}"]`)
    if (focused && g) g.focus()
    else focused?.focus()
  })
  root.addEventListener('keydown', (event) => {
    const g = event.target.closest('g.node')
    if (g && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault()
      select(g.id)
    } else if (event.key === 'Escape') {
      hideTips()
    }
  })
  root.addEventListener(
    'wheel',
    (event) => {
      if (!svg || !svg.contains(event.target)) return
      event.preventDefault()
      const point = svgPoint(event.clientX, event.clientY)
      zoom(Math.exp(-event.deltaY * 0.0015), point?.x, point?.y)
    },
    { passive: false },
  )
  root.addEventListener('pointerdown', (event) => {
    if (!svg || !svg.contains(event.target) || event.button !== 0) return
    drag = { x: event.clientX, y: event.clientY, start: { ...view }, moved: false, id: event.pointerId }
  })
  root.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return
    const dx = event.clientX - drag.x
    const dy = event.clientY - drag.y
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return
    if (!drag.moved) {
      drag.moved = true
      svg.setPointerCapture(event.pointerId)
      svg.classList.add('dragging')
      hideTips()
    }
    const k = unitsPerPixel()
    view = { ...drag.start, x: drag.start.x - dx * k, y: drag.start.y - dy * k }
    apply()
  })
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return
    svg?.classList.remove('dragging')
    const moved = drag.moved
    // keep `moved` visible to the click that follows a drag, then forget the drag
    setTimeout(() => {
      if (drag && drag.moved === moved) drag = null
    }, 0)
  }
  root.addEventListener('pointerup', endDrag)
  root.addEventListener('pointercancel', endDrag)

  let resizing = 0
  window.addEventListener('resize', () => {
    clearTimeout(resizing)
    resizing = setTimeout(() => svg && home && firstView(), 150)
  })

  return {
    attach,
    select,
    highlightLine,
    get selected() {
      return selected
    },
  }
}
