{% load static %}/* Safelane field inspections' service worker: the inspection pages and their assets keep
   working without a connection (network first, the last copy when offline). */
"use strict";
var CACHE = "safelane-inspections-{{ version }}";
var SHELL = [
  "{% static 'safelane/app.css' %}",
  "{% static 'safelane/app.js' %}",
  "{% static 'safelane/logo.svg' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'inspections/inspections.css' %}",
  "{% static 'inspections/inspections.js' %}",
  "{{ scope }}"
];
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("safelane-inspections-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  var page = url.pathname.indexOf("{{ scope }}") === 0;
  var asset = url.pathname.indexOf("{% get_static_prefix %}") === 0;
  if (!page && !asset) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      return hit || caches.match("{{ scope }}");
    });
  }));
});
