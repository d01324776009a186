/* tuoyu maps: Leaflet (served from the platform) with our markers; tiles only when configured.
   A map element carries data-points="<id of a json_script>" and, optionally, data-tiles="<url template>".
   Names come from users: Leaflet reads a string tooltip as HTML, so every tooltip is a text node. */
(function () {
  "use strict";
  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function draw(element) {
    var points = JSON.parse(document.getElementById(element.dataset.points).textContent);
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      if (p.lat == null || p.lon == null) { return; }
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: 4 + Math.sqrt(p.places || 0) / 2,
        color: p.affordable ? "#1d6f5f" : "#a15c00",
        weight: 1.5, fillOpacity: 0.55
      }).addTo(map);
      marker.bindTooltip(label(p.name + "（" + (p.places || 0) + "个托位" + (p.affordable ? "，普惠" : "") + "）"));
      if (p.circle) {
        L.circle([p.lat, p.lon], { radius: p.circle, color: "#1d6f5f", weight: 0.5, fillOpacity: 0.04 }).addTo(map);
      }
      bounds.push([p.lat, p.lon]);
    });
    if (element.dataset.extra) {
      var extra = JSON.parse(document.getElementById(element.dataset.extra).textContent);
      (extra.uncovered || []).forEach(function (c) {
        L.circleMarker([c.lat, c.lon], { radius: 2 + Math.min(4, c.under_3 / 3), stroke: false, color: "#b42318", fillOpacity: 0.6 })
          .bindTooltip(label("圈外3岁以下：" + c.under_3 + "人")).addTo(map);
      });
      (extra.sites || []).forEach(function (s, i) {
        L.marker([s.lat, s.lon], { title: "建议点位 " + (i + 1) }).bindTooltip(label("建议点位 " + (i + 1) + "：" + Math.round(s.places) + "个托位")).addTo(map);
        bounds.push([s.lat, s.lon]);
      });
    }
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([35, 105], 4); }
    element.dataset.ready = "1";
  }
  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(function (element) {
      if (!element.dataset.ready) { draw(element); }
    });
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
