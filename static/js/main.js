// Wires the page together. htmx does the requests and swaps (the form posts to /run); this module
// decides *when*: debounced re-runs while typing (~400 ms), Ctrl+Enter, the step slider, and at
// most one request in flight (hx-sync "queue last") with stale answers dropped before they swap.

import { initBackward } from './backward.js'
import { initEditor } from './editor.js'
import { initExpand } from './expand.js'
import { initGraph } from './graph.js'
import { initShare } from './share.js'

const TYPING_DELAY_MS = 400
const SLIDER_DELAY_MS = 150
const TYPED_FIELDS = new Set(['source', 'input_value']) // mode and device: on `change`, at once
// A graph panel narrower than this reads the graph top to bottom (the server lays it out "tall":
// rankdir TB): a phone, and a laptop's graph column, where even a small graph drawn left to
// right is wider than the panel once its text is 12 px (static/js/graph.js)
const WIDE_PANEL_PX = 720
const RESIZE_DELAY_MS = 300

function start() {
  const form = document.getElementById('playground')
  if (!form || !window.htmx) return
  const result = document.getElementById('result')
  const slider = document.getElementById('step-slider')
  const stepField = document.getElementById('step-field')
  const caption = document.getElementById('step-caption')
  const editable = form.dataset.editable === '1'

  const editor = initEditor(document.getElementById('editor'))
  const share = initShare(form)
  const backward = initBackward(result)
  const expand = initExpand(form, result)
  const graph = initGraph(result, {
    onSelect(detail) {
      const line = Number(detail.dataset.line)
      editor.showSpan(
        line > 0
          ? {
              line,
              col: Number(detail.dataset.col),
              endLine: Number(detail.dataset.endLine) || line,
              endCol: Number(detail.dataset.endCol),
            }
          : null,
      )
    },
  })
  editor.onLine((line) => editor.showLines(graph.highlightLine(line).length ? [line] : []))

  // --- when to run -----------------------------------------------------------------------------
  let timer = 0
  let generation = 0 // bumped by every change the next answer must reflect
  let sentFor = 0

  const run = () => {
    clearTimeout(timer)
    timer = 0
    htmx.trigger(form, 'pg-run')
  }
  const schedule = (delay) => {
    generation += 1
    clearTimeout(timer)
    timer = setTimeout(run, delay)
  }

  // the lesson banner belongs to the lesson as written: once the program is edited, it says so
  const lessonBanner = document.getElementById('lesson-banner')
  editor.textarea.addEventListener('input', () => {
    if (!lessonBanner) return
    lessonBanner.classList.add('edited')
    lessonBanner.querySelector('.lesson-edited')?.removeAttribute('hidden')
  })

  form.addEventListener('input', (event) => {
    const field = event.target
    if (field === slider) {
      stepField.value = field.value === field.max ? '' : field.value
      schedule(SLIDER_DELAY_MS)
    } else if (editable && TYPED_FIELDS.has(field.name)) {
      stepField.value = '' // a changed program is shown whole
      schedule(TYPING_DELAY_MS)
    }
  })
  form.addEventListener('change', (event) => {
    const field = event.target
    if (!editable || (field.name !== 'mode' && field.name !== 'device')) return
    if (field.name === 'mode') {
      const inputs = document.querySelector('#inputs fieldset')
      if (inputs) inputs.hidden = field.value !== 'math'
    }
    stepField.value = ''
    generation += 1
    run()
  })
  editor.textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      generation += 1
      run()
    }
  })
  // presenter mode: arrow keys step, space plays the backward pass (when no field has focus)
  if (document.body.classList.contains('present')) {
    document.addEventListener('keydown', (event) => {
      if (event.target.closest?.('input, textarea, select, button') && event.target !== slider) return
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        if (event.target === slider) return // the slider steps itself
        event.preventDefault()
        slider.value = String(Number(slider.value) + (event.key === 'ArrowRight' ? 1 : -1))
        slider.dispatchEvent(new Event('input', { bubbles: true }))
      } else if (event.key === ' ') {
        event.preventDefault()
        document.querySelector('[data-backward="play"]')?.click()
      }
    })
  }
  form.addEventListener('submit', () => {
    clearTimeout(timer)
    timer = 0
  })

  // --- requests and swaps ----------------------------------------------------------------------
  form.addEventListener('htmx:beforeRequest', () => {
    sentFor = generation
    result.setAttribute('aria-busy', 'true')
  })
  form.addEventListener('htmx:afterRequest', () => result.setAttribute('aria-busy', 'false'))
  form.addEventListener('htmx:beforeSwap', (event) => {
    // an answer to an older version of the program: a newer request is queued or scheduled
    if (sentFor !== generation || timer) event.detail.shouldSwap = false
  })
  document.body.addEventListener('htmx:afterSettle', (event) => {
    if (event.target === result) afterResult(true)
    else if (event.target.id === 'problems') afterRefusal()
  })

  function markProblem() {
    const problem = document.querySelector('#problems .problem')
    if (problem) editor.markError(Number(problem.dataset.line), Number(problem.dataset.col))
    else editor.markError(0, -1)
  }

  function afterResult(fromRun) {
    const meta = document.getElementById('result-meta')
    let stepLine = 0
    if (meta) {
      // a step stopped part-way through the program: its last statement's line, in the editor
      if (meta.dataset.stepField !== '') stepLine = Number(meta.dataset.stepLine) || 0
      slider.max = meta.dataset.stepTotal
      slider.value = meta.dataset.stepValue
      stepField.value = meta.dataset.stepField
      caption.textContent = meta.textContent
      slider.setAttribute('aria-valuetext', meta.textContent)
    }
    result.classList.remove('stale')
    result.querySelector('.stale-note')?.setAttribute('hidden', '')
    backward.reset()
    graph.attach()
    expand.attach()
    editor.showSpan(null)
    editor.showStep(stepLine)
    markProblem()
    if (fromRun) share.update()
  }

  function afterRefusal() {
    result.classList.add('stale')
    result.querySelector('.stale-note')?.removeAttribute('hidden')
    markProblem()
    share.update()
  }

  // lesson picker: a choice made with the pointer loads at once; from the keyboard (where arrows
  // change a closed <select>) the Load button does, so browsing the list never navigates away
  const lessonSelect = document.getElementById('lesson-select')
  let pointerPick = false
  lessonSelect?.addEventListener('pointerdown', () => {
    pointerPick = true
  })
  lessonSelect?.addEventListener('keydown', () => {
    pointerPick = false
  })
  lessonSelect?.addEventListener('change', () => {
    if (pointerPick && lessonSelect.value) lessonSelect.form.requestSubmit()
  })

  // the layout follows the screen: the form asks for it, a cookie tells the next page load, and
  // a graph drawn for the other width is drawn again (on load on a phone, or on a turn)
  const layoutField = document.getElementById('layout-field')
  function followWidth() {
    const panel = document.getElementById('graph')?.clientWidth || window.innerWidth
    const wanted = panel < WIDE_PANEL_PX ? 'tall' : 'wide'
    document.cookie = `pg_layout=${wanted}; path=/; max-age=31536000; samesite=lax`
    if (!layoutField || layoutField.value === wanted) return
    layoutField.value = wanted
    const meta = document.getElementById('result-meta')
    if (meta && meta.dataset.kind !== 'refusal') {
      generation += 1
      run()
    }
  }
  let resizing = 0
  window.addEventListener('resize', () => {
    clearTimeout(resizing)
    resizing = setTimeout(followWidth, RESIZE_DELAY_MS)
  })

  afterResult(false)
  // htmx wires the form's triggers on DOMContentLoaded, after this module runs
  if (document.readyState === 'complete') followWidth()
  else window.addEventListener('load', followWidth, { once: true })
}

start()
