// Kommunalgraph's SPARQL editor: YASGUI (installed from the npm registry at setup, served by
// this server) with the named queries as ready tabs; result IRIs we mint link to their pages.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var host = document.getElementById("yasgui");
  if (typeof Yasgui === "undefined" || !host) { return; }
  document.getElementById("plain-form").hidden = true;
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    // Only completers that work offline: no look-ups in remote vocabulary services.
    yasqe: { autocompleters: ["prefixes", "variables"] }
  });
  var wanted = config.tab || (config.queries[0] && config.queries[0].name);
  config.queries.forEach(function (query) {
    yasgui.addTab(query.name === wanted, {
      name: query.title, yasqe: { value: query.text }, requestConfig: { endpoint: config.endpoint }
    });
  });

  // The server answers our IRIs at their paths: turn result links into links to this server.
  function localise(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      config.roots.forEach(function (base) {
        if (a.href.indexOf(base) === 0) {
          a.href = config.paths[base] + a.href.slice(base.length);
          a.removeAttribute("target");
        }
      });
    });
  }
  new MutationObserver(function () { localise(host); }).observe(host, { childList: true, subtree: true });
})();
