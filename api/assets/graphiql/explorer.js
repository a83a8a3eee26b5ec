// Kakehashi's GraphiQL page: renders the vendored GraphiQL into #graphiql, against the
// endpoint the page was served from. Loaded as a file of its own so that the page's
// Content-Security-Policy can refuse every inline script.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  document.documentElement.style.height = "100%";
  document.body.style.height = "100%";
  document.body.style.margin = "0";
  root.style.height = "100vh";
  var endpoint = new URL(window.location.pathname, window.location.origin).toString();
  var props = {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    defaultEditorToolsVisibility: true,
    // A token typed into the headers editor stays in this tab; it is never stored.
    shouldPersistHeaders: false,
    defaultQuery:
      "# Kakehashi's GraphQL API.\n" +
      "# To sign in, add under Headers:\n" +
      '# {"Authorization": "Bearer <token>"}\n' +
      "# The book icon opens the docs.\n\n" +
      "{\n  viewer {\n    authenticated\n    role\n  }\n}\n",
  };
  // `/graphql#docs` opens with the Documentation Explorer shown.
  if (window.location.hash === "#docs") {
    props.visiblePlugin = GraphiQL.React.DOC_EXPLORER_PLUGIN;
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
