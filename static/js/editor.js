// The editor: a plain <textarea> with a line-number gutter and a backdrop behind the text that
// marks the error line/column and the source span of the selected graph node. Everything is built
// with DOM APIs and textContent (the program text is never parsed as HTML).

// The editor grows with the program (one row more than its lines, room for the horizontal
// scrollbar): a fixed cap left a long lesson's gutter beside empty space and cut a line in half.
const MIN_ROWS = 6
// on a phone the graph shares the first screen with the program: a short program stays short
const PHONE = window.matchMedia('(max-width: 600px)')
const PHONE_MIN_ROWS = 2

export function initEditor(root) {
  const textarea = root.querySelector('textarea')
  const gutter = root.querySelector('.gutter')
  const backdrop = root.querySelector('.backdrop')
  const marks = { error: null, span: null, lines: new Set(), step: 0 }
  const lineListeners = []

  function lines() {
    return textarea.value.split('\n')
  }

  function renderGutter(count) {
    if (gutter.children.length !== count) {
      const spans = []
      for (let n = 1; n <= count; n++) {
        const span = document.createElement('span')
        span.dataset.line = String(n)
        span.textContent = String(n)
        spans.push(span)
      }
      gutter.replaceChildren(...spans)
    }
    for (const span of gutter.children) {
      const n = Number(span.dataset.line)
      span.classList.toggle('error', marks.error !== null && marks.error.line === n)
      span.classList.toggle('active', marks.lines.has(n))
      span.classList.toggle('step', marks.step === n)
    }
  }

  function markedLine(text, n) {
    const row = document.createElement('div')
    row.className = 'backdrop-line'
    const error = marks.error && marks.error.line === n ? marks.error : null
    const span = marks.span && n >= marks.span.line && n <= marks.span.endLine ? marks.span : null
    if (error) row.classList.add('error')
    if (span || marks.lines.has(n)) row.classList.add('active')
    if (marks.step === n) row.classList.add('step')
    let from = -1
    let to = -1
    if (error && error.col >= 0) {
      from = Math.min(error.col, text.length)
      const rest = text.slice(from).search(/\s/)
      to = rest <= 0 ? Math.max(from + 1, text.length) : from + rest
      to = Math.max(to, from + 1)
    } else if (span && span.col >= 0) {
      from = n === span.line ? span.col : 0
      to = n === span.endLine && span.endCol >= 0 ? span.endCol : text.length
    }
    if (from < 0) {
      row.textContent = text || ' '
      return row
    }
    const mark = document.createElement('mark')
    mark.className = error ? 'error-mark' : 'span-mark'
    mark.textContent = text.slice(from, to) || ' '
    row.append(text.slice(0, from), mark, text.slice(to))
    return row
  }

  function render() {
    const all = lines()
    textarea.rows = Math.max(PHONE.matches ? PHONE_MIN_ROWS : MIN_ROWS, all.length + 1)
    renderGutter(all.length)
    backdrop.replaceChildren(...all.map((text, index) => markedLine(text, index + 1)))
    syncScroll()
  }

  function syncScroll() {
    backdrop.scrollTop = textarea.scrollTop
    backdrop.scrollLeft = textarea.scrollLeft
    gutter.scrollTop = textarea.scrollTop
  }

  function caretLine() {
    return textarea.value.slice(0, textarea.selectionStart).split('\n').length
  }

  function announceLine() {
    const line = caretLine()
    for (const listener of lineListeners) listener(line)
  }

  function goToLine(line) {
    const all = lines()
    let offset = 0
    for (let i = 0; i < line - 1 && i < all.length; i++) offset += all[i].length + 1
    textarea.focus()
    textarea.setSelectionRange(offset, offset)
    announceLine()
  }

  textarea.addEventListener('input', () => {
    marks.error = null
    marks.span = null
    marks.step = 0
    marks.lines.clear()
    render()
  })
  textarea.addEventListener('scroll', syncScroll)
  textarea.addEventListener('click', announceLine)
  textarea.addEventListener('keyup', (event) => {
    if (event.key.startsWith('Arrow') || event.key === 'Home' || event.key === 'End') announceLine()
  })
  gutter.addEventListener('click', (event) => {
    const span = event.target.closest('[data-line]')
    if (span) goToLine(Number(span.dataset.line))
  })
  render()

  return {
    textarea,
    markError(line, col) {
      marks.error = line > 0 ? { line, col } : null
      render()
    },
    showSpan(span) {
      marks.span = span && span.line > 0 ? span : null
      marks.lines.clear()
      render()
    },
    // the line of the statement the step slider stopped after (0: none)
    showStep(line) {
      marks.step = line
      render()
    },
    showLines(numbers) {
      marks.lines = new Set(numbers)
      render()
    },
    onLine(listener) {
      lineListeners.push(listener)
    },
  }
}
