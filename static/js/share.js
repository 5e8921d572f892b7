// The whole playground in the URL: JSON → raw DEFLATE (CompressionStream) → base64url, as `?s=`.
// The server reads the same token (app/web/state.py) and renders a shared link on first load.
// Also: copy link / embed code, language links that keep the state, exports via the JSON API.

const EXPORT_TYPES = {
  svg: 'image/svg+xml',
  png: 'image/png',
  dot: 'text/vnd.graphviz',
  json: 'application/json',
}
const KEPT_PARAMS = ['lesson', 'big', 'edit', 'hide']

export function readState(form) {
  const data = new FormData(form)
  const names = data.getAll('input_name')
  const values = data.getAll('input_value')
  const inputs = {}
  names.forEach((name, i) => {
    inputs[name] = values[i] ?? ''
  })
  const step = data.get('step')
  const ids = (name) => String(data.get(name) ?? '').split(/\s+/).filter(Boolean)
  return {
    v: 1,
    source: data.get('source') ?? '',
    mode: data.get('mode') ?? 'python',
    inputs,
    device: data.get('device') ?? 'cpu',
    step: step ? Number(step) : null,
    lang: data.get('lang') ?? 'en',
    // what the picture opens and shuts (expand.js): only when set, so older links stay the same
    ...(ids('unfold').length ? { unfold: ids('unfold') } : {}),
    ...(ids('fold').length ? { fold: ids('fold') } : {}),
  }
}

function base64url(bytes) {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

export async function encodeState(state) {
  const stream = new Blob([JSON.stringify(state)])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'))
  const buffer = await new Response(stream).arrayBuffer()
  return base64url(new Uint8Array(buffer))
}

function pageParams(token, extra = {}) {
  const current = new URLSearchParams(location.search)
  const params = new URLSearchParams()
  params.set('s', token)
  for (const key of KEPT_PARAMS) {
    if (current.get(key)) params.set(key, current.get(key))
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return params
}

// Without PLAYGROUND_PUBLIC_URL the server writes relative links (it never trusts the Host
// header): the page's own origin is what the reader sees, so the copied links start with it.
function absoluteLinks() {
  const shareUrl = document.getElementById('share-url')
  if (shareUrl?.value.startsWith('/')) shareUrl.value = location.origin + shareUrl.value
  const embedCode = document.getElementById('embed-code')
  if (embedCode) embedCode.value = embedCode.value.replace('src="/', `src="${location.origin}/`)
}

// The Share panel's embed options (checkboxes named embed-present, embed-edit, embed-big and
// embed-hide-<part>) → the embed URL's parameters, as README "In the classroom" lists them.
function embedOptions(shared) {
  const params = new URLSearchParams(shared)
  for (const flag of ['present', 'edit', 'big']) {
    if (document.getElementById(`embed-${flag}`)?.checked) params.set(flag, '1')
  }
  const hidden = [...document.querySelectorAll('[data-embed-hide]:checked')].map((box) => box.value)
  if (hidden.length) params.set('hide', hidden.join(','))
  return params
}

export function initShare(form) {
  const embedded = document.body.classList.contains('embed')
  let latest = 0

  async function update() {
    const ticket = ++latest
    const token = await encodeState(readState(form))
    if (ticket !== latest) return
    const params = pageParams(token)
    // an edited lesson is the student's own program now: its links no longer name the lesson
    if (document.getElementById('lesson-banner')?.classList.contains('edited')) {
      params.delete('lesson')
    }
    history.replaceState(null, '', `${location.pathname}?${params}`)
    const shared = new URLSearchParams({ s: token })
    if (params.get('lesson')) shared.set('lesson', params.get('lesson'))
    const shareUrl = document.getElementById('share-url')
    if (shareUrl) shareUrl.value = `${location.origin}/?${shared}`
    const embedCode = document.getElementById('embed-code')
    if (embedCode) {
      const options = embedOptions(shared)
      embedCode.value = embedCode.value.replace(
        /src="[^"]*\/embed\?[^"]*/,
        `src="${location.origin}/embed?${options}`,
      )
    }
    const open = document.getElementById('open-in-playground')
    if (open) open.href = `/?${shared}`
    const download = document.getElementById('download-html')
    if (download) download.href = `/export.html?${shared}`
  }

  async function copy(id) {
    const field = document.getElementById(id)
    const status = document.getElementById('copy-status')
    if (!field) return
    try {
      await navigator.clipboard.writeText(field.value)
      if (status) status.textContent = status.dataset.copied
    } catch {
      field.focus()
      field.select()
      if (status) status.textContent = status.dataset.failed
    }
  }

  async function exportAs(kind) {
    const state = readState(form)
    const inputs = {}
    for (const [name, text] of Object.entries(state.inputs)) {
      const trimmed = String(text).trim()
      if (!trimmed) continue
      try {
        inputs[name] = trimmed.startsWith('[') ? JSON.parse(trimmed) : Number(trimmed)
      } catch {
        return
      }
    }
    const formats = kind === 'json' ? ['graph', 'svg'] : [kind]
    const response = await fetch('/api/v1/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        source: state.source,
        mode: state.mode,
        inputs: state.mode === 'math' ? inputs : {},
        device: state.device,
        step: state.step,
        formats,
        // slide-ready: the Share panel's size and background, the page's language
        scale: Number(document.getElementById('export-scale')?.value || 1),
        background: document.getElementById('export-background')?.value || 'white',
        lang: document.documentElement.lang.startsWith('zh') ? 'zh' : 'en',
      }),
    })
    if (!response.ok) return
    const body = await response.json()
    let blob
    if (kind === 'json') blob = new Blob([JSON.stringify(body, null, 2)], { type: EXPORT_TYPES.json })
    else if (kind === 'png') {
      if (!body.png) return
      const bytes = Uint8Array.from(atob(body.png), (c) => c.charCodeAt(0))
      blob = new Blob([bytes], { type: EXPORT_TYPES.png })
    } else {
      if (!body[kind]) return
      blob = new Blob([body[kind]], { type: EXPORT_TYPES[kind] })
    }
    const link = document.createElement('a')
    link.href = URL.createObjectURL(blob)
    link.download = `autograd-graph.${kind === 'json' ? 'json' : kind === 'dot' ? 'gv' : kind}`
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  }

  document.getElementById('embed-options')?.addEventListener('change', () => update())

  document.addEventListener('click', (event) => {
    const copyButton = event.target.closest('[data-copy]')
    if (copyButton) copy(copyButton.dataset.copy)
    const exportButton = event.target.closest('[data-export]')
    if (exportButton) exportAs(exportButton.dataset.export)
    const language = event.target.closest('.languages a[data-lang]')
    if (language && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault()
      switchLanguage(language.dataset.lang)
    }
  })

  async function switchLanguage(lang) {
    const state = { ...readState(form), lang }
    const token = await encodeState(state)
    document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=lax`
    try {
      localStorage.setItem('lang', lang)
    } catch {
      // storage may be off (private mode, sandboxed frame): the cookie still remembers
    }
    location.assign(`${location.pathname}?${pageParams(token, { lang })}`)
  }

  absoluteLinks()
  return { update, embedded }
}
