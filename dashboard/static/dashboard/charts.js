// The dashboard's charts (Apache ECharts, served from node_modules, loaded on this page only).
// Data and the task list behind each figure come from the page (json_script
// "dashboard-charts"); clicking a bar, a slice or a point opens that list. The charts are
// disposed before HTMX swaps #dashboard-content and drawn again once the new content settles.
// Everything stays inside this function: nothing is added to window.
(function () {
  "use strict";
  var CONTENT = "dashboard-content";
  // The task list's colours: completed blue, on time green, at risk yellow, not on time red.
  var BLUE = "#0d6efd", GREEN = "#198754", RED = "#dc3545";
  var PIE = {
    completed_on_time: BLUE, completed_late: "#6ea8fe", in_progress: GREEN,
    recurring: "#75b798", not_started: "#a3cfbb", overdue: RED, paused: "#a52834",
    proposed_removal: "#ea868f"
  };

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll(".dashboard-chart"));
  }

  function dispose() {
    charts().forEach(function (node) {
      var instance = window.echarts.getInstanceByDom(node);
      if (instance) { instance.dispose(); }
    });
  }

  // A click on a data item goes to the list behind it (its `href`).
  function follow(params) {
    var href = params.data && params.data.href;
    if (href) { window.location.assign(href); }
  }

  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var instance = window.echarts.init(node);
    instance.setOption(option);
    instance.on("click", follow);
  }

  function item(value, href, color) {
    var data = { value: value, href: href };
    if (color) { data.itemStyle = { color: color }; }
    return data;
  }

  // Each bar segment, slice and last point carries its figure: the chart reads without hovering.
  function figure(params) { return params.value ? String(params.value) : ""; }

  function areas(data) {
    function bar(key, color) {
      return { name: data.labels[key], type: "bar", stack: "all", color: color, cursor: "pointer",
               label: { show: true, formatter: figure, color: "#fff", fontSize: 11 },
               data: data.areas.map(function (a) { return item(a[key], a.href[key]); }) };
    }
    return {
      tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: "value", name: data.axis, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", data: data.areas.map(function (a) { return a.name; }),
               axisLabel: { width: 110, overflow: "truncate" } },
      series: [bar("completed", BLUE), bar("on_time", GREEN), bar("not_on_time", RED)]
    };
  }

  function states(data) {
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"],
                 label: { show: true, position: "inside", formatter: figure, color: "#fff" },
                 data: data.states.map(function (s) {
                   var slice = item(s.value, s.href, PIE[s.key]);
                   slice.name = s.name;
                   return slice;
                 }) }]
    };
  }

  function trend(data) {
    function line(key, color) {
      return { name: data.labels[key], type: "line", color: color, symbolSize: 8,
               endLabel: { show: true, formatter: figure },
               data: data.trend.map(function (p) { return item(p[key], p.href[key]); }) };
    }
    return {
      tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 8, right: 24, top: 24, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.trend.map(function (p) { return p.on; }) },
      yAxis: { type: "value", name: data.axis },
      series: [line("completed", BLUE), line("not_on_time", RED)]
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    dispose();
    chart("chart-areas", areas(data));
    chart("chart-states", states(data));
    chart("chart-trend", trend(data));
  }

  function resize() {
    if (!window.echarts) { return; }
    charts().forEach(function (node) {
      var instance = window.echarts.getInstanceByDom(node);
      if (instance) { instance.resize(); }
    });
  }

  function isContent(evt) {
    var target = evt.detail && evt.detail.target;
    return Boolean(target) && target.id === CONTENT;
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (isContent(evt) && window.echarts) { dispose(); }
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (isContent(evt)) { draw(); }
  });
  // Back/forward after hx-push-url: htmx puts back the saved page, whose canvases are dead.
  document.addEventListener("htmx:historyRestore", draw);
  window.addEventListener("resize", resize);
})();
