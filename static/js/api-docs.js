// /docs and /redoc (app/api/docs.py): start Swagger UI or ReDoc on the schema, from our own
// files, with no inline script; the page says which one and where the schema is.
;(function () {
  const root = document.getElementById('api-docs')
  const url = root.dataset.openapi
  if (root.dataset.viewer === 'redoc') {
    window.Redoc.init(url, {}, root)
  } else {
    window.SwaggerUIBundle({ url, dom_id: '#api-docs', deepLinking: true })
  }
})()
