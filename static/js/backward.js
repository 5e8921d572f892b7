// "Play backward": replays the backward pass in the order PyTorch ran it (the graph's
// backward_order, rendered server-side as the #backward-steps list). Each step lights the op
// (class `lit`, and `current` on the one running now) and the edges its gradient travels
// (class `flow`), with the edge's gradient as a label on the picture.

const DELAY_MS = 700
const SVG_NS = 'http://www.w3.org/2000/svg'

export function initBackward(root) {
  let index = -1
  let timer = 0

  const steps = () => [...root.querySelectorAll('#backward-steps li')]
  const svg = () => root.querySelector('#graph svg')
  const playButton = () => root.querySelector('[data-backward="play"]')
  const status = () => root.querySelector('#backward-status')

  function clear() {
    const picture = svg()
    if (!picture) return
    for (const el of picture.querySelectorAll('.lit, .current, .flow, .flowed')) {
      el.classList.remove('lit', 'current', 'flow', 'flowed')
    }
    for (const label of picture.querySelectorAll('.flow-label')) label.remove()
  }

  function label(edge, text) {
    const path = edge.querySelector('path')
    if (!path || !path.getTotalLength) return
    const middle = path.getPointAtLength(path.getTotalLength() / 2)
    const node = document.createElementNS(SVG_NS, 'text')
    node.setAttribute('class', 'flow-label')
    node.setAttribute('x', String(middle.x))
    node.setAttribute('y', String(middle.y - 6))
    node.setAttribute('text-anchor', 'middle')
    node.textContent = `∂ ${text}`
    edge.parentNode.append(node)
  }

  function show(target) {
    const all = steps()
    const picture = svg()
    if (!picture || !all.length) return
    index = Math.max(-1, Math.min(target, all.length - 1))
    // the keyboard's order follows the replay from the op stepped now (Tab reaches it first):
    // each op, then the nodes its gradient reaches, on to the end and round to the start
    const replay = index < 0 ? [] : [...all.slice(index), ...all.slice(0, index)]
    const order = replay.flatMap((item) => [
      item.dataset.fn,
      ...[...item.querySelectorAll('[data-to]')].map((flow) => flow.dataset.to),
    ])
    const current = index < 0 ? null : all[index].dataset.fn
    root.dispatchEvent(new CustomEvent('pg-backward-step', { detail: { order, current } }))
    clear()
    all.forEach((item, i) => {
      item.classList.toggle('done', i < index)
      item.classList.toggle('current', i === index)
      if (i === index) item.setAttribute('aria-current', 'step')
      else item.removeAttribute('aria-current')
      if (i > index) return
      const op = picture.querySelector(`g#${CSS.escape(item.dataset.fn)}`)
      op?.classList.add('lit')
      if (i === index) op?.classList.add('current')
      for (const flow of item.querySelectorAll('[data-edge]')) {
        const edge = picture.querySelector(`g#${CSS.escape(flow.dataset.edge)}`)
        if (!edge) continue
        edge.classList.add(i === index ? 'flow' : 'flowed')
        if (i === index) label(edge, flow.querySelector('.grad').textContent)
      }
    })
    const out = status()
    if (out) out.textContent = index >= 0 ? `${index + 1} / ${all.length}: ${all[index].textContent.trim()}` : ''
  }

  function stop() {
    clearInterval(timer)
    timer = 0
    const button = playButton()
    if (button) button.textContent = `▶ ${button.dataset.play}`
  }

  function play() {
    if (timer) {
      stop()
      return
    }
    if (index >= steps().length - 1) show(-1)
    const button = playButton()
    if (button) button.textContent = `❚❚ ${button.dataset.pause}`
    show(index + 1)
    timer = setInterval(() => {
      if (index >= steps().length - 1) stop()
      else show(index + 1)
    }, DELAY_MS)
  }

  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-backward]')
    if (!button) return
    const action = button.dataset.backward
    if (action === 'play') play()
    else {
      stop()
      show(action === 'next' ? index + 1 : index - 1)
    }
  })

  return {
    reset() {
      stop()
      index = -1
    },
  }
}
