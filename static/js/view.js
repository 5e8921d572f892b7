// The graph view on its own: one function that takes a root element holding the result partial
// (picture, tooltips, details, backward steps) and wires the same graph.js and backward.js the
// page uses. The notebook widget and the exported HTML file call it (autograd_playground/_bundle.py
// inlines these very files); the page and /embed wire the same two modules from main.js.

import { initBackward } from './backward.js'
import { initGraph } from './graph.js'

export function mountView(root, { onSelect = () => {} } = {}) {
  const backward = initBackward(root)
  const graph = initGraph(root, { onSelect })
  graph.attach()
  return { graph, backward }
}
