/* Draws the subgraph whose data the page holds in #graph-data, with vis-network.
 * Popups are vis-network's own, which show a string title as text (innerText);
 * nothing here writes markup. A click on a node opens its page, in the top window
 * when the graph is embedded in the term page. */
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!container || !source || typeof vis === "undefined") {
    if (container) { container.setAttribute("data-state", "failed"); }
    return;
  }
  var data = JSON.parse(source.textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);

  function drawn() {
    network.setOptions({physics: false});
    network.fit();
    container.setAttribute("data-state", "drawn");
    container.setAttribute("data-nodes", String(nodes.length));
  }
  network.once("stabilizationIterationsDone", drawn);
  if (nodes.length < 2) { drawn(); }

  function pageOf(url) {
    if (typeof url !== "string" || !url) { return null; }
    var target = new URL(url, window.location.href);
    return target.protocol === "http:" || target.protocol === "https:" ? target.href : null;
  }

  network.on("click", function (params) {
    if (params.nodes.length !== 1) { return; }
    var target = pageOf(nodes.get(params.nodes[0]).url);
    if (!target) { return; }
    var view = window;
    try {
      if (window.top.location.origin === window.location.origin) { view = window.top; }
    } catch (crossOrigin) {
      view = window;
    }
    view.location.assign(target);
  });
  network.on("hoverNode", function () { container.classList.add("pointing"); });
  network.on("blurNode", function () { container.classList.remove("pointing"); });
  window.policyGraph = {network: network, nodes: nodes, edges: edges};
})();
