/* Field inspections on a phone, without a framework: a fresh client id for each inspection, the
   device's time on the record, and when there is no connection, the finished inspection and its
   photos (resized here) kept in IndexedDB and sent to the API once the connection returns. The
   server's client-id rule makes a resend harmless: it answers with the record the first made. */
(function () {
  "use strict";
  var DB = "safelane-inspections";
  var STORE = "outbox";
  var MAX_SIDE = 1600;
  var root = document.getElementById("inspections-app");
  if (!root) return;
  var api = root.getAttribute("data-api");
  var texts = JSON.parse(document.getElementById("inspections-texts").textContent);

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function waiting() { return store("readonly", function (s) { return s.getAll(); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }

  function resize(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function collect(form) {
    var data = new FormData(form);
    var record = {
      client_id: data.get("client_id"),
      checklist: data.get("checklist"),
      site: data.get("site"),
      tractor: data.get("tractor") || "",
      trailer: data.get("trailer") || "",
      container: data.get("container") || "",
      seals: String(data.get("seals") || "").split(/[,;\s]+/).filter(Boolean),
      driver: data.get("driver") || "",
      signed_name: data.get("signed_name") || "",
      attested: data.get("attested") === "on",
      device_time: data.get("device_time"),
      title: root.getAttribute("data-title"),
      results: [],
      photos: [],
      error: ""
    };
    var jobs = [];
    form.querySelectorAll("fieldset.inspection-point").forEach(function (set) {
      var point = set.id.replace("point-", "");
      var checked = set.querySelector("input[type=radio]:checked");
      record.results.push({
        point: Number(point),
        outcome: checked ? checked.value : "",
        note: set.querySelector("textarea").value
      });
      Array.prototype.forEach.call(set.querySelector("input[type=file]").files, function (file) {
        jobs.push(resize(file).then(function (blob) {
          record.photos.push({ point: point, name: file.name.replace(/\.\w+$/, "") + ".jpg", blob: blob });
        }));
      });
    });
    return Promise.all(jobs).then(function () { return record; });
  }

  function send(record) {
    var body = new FormData();
    ["client_id", "checklist", "site", "tractor", "trailer", "container", "driver", "signed_name"]
      .forEach(function (name) { body.append(name, record[name]); });
    record.seals.forEach(function (seal) { body.append("seals", seal); });
    body.append("attested", record.attested ? "true" : "false");
    if (record.device_time) body.append("device_time", record.device_time);
    body.append("results", JSON.stringify(record.results));
    record.photos.forEach(function (p) { body.append("photos-" + p.point, p.blob, p.name); });
    return fetch(api, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return store("readwrite", function (s) { return s.delete(record.client_id); });
      }
      if (response.status >= 400 && response.status < 500) {
        return response.text().then(function (text) {
          record.error = texts.refused + " " + text.slice(0, 300);
          return store("readwrite", function (s) { return s.put(record); });
        });
      }
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return waiting().then(function (records) {
      return records.filter(function (r) { return !r.error; })
        .reduce(function (done, r) { return done.then(function () { return send(r); }); },
          Promise.resolve());
    }).catch(function () {}).then(function () { flushing = false; return show(); });
  }

  function show() {
    var box = document.getElementById("outbox");
    if (!box) return Promise.resolve();
    return waiting().then(function (records) {
      var list = box.querySelector("ul");
      list.textContent = "";
      records.forEach(function (r) {
        var item = document.createElement("li");
        item.textContent = r.title + " · " + (r.device_time || "").replace("T", " ").slice(0, 16) +
          " · " + (r.error || texts.waiting);
        list.appendChild(item);
      });
      box.hidden = records.length === 0;
      box.querySelector(".count").textContent = String(records.length);
    });
  }

  var form = document.getElementById("inspection-form");
  if (form) {
    form.querySelector("input[name=client_id]").value = newId();
    form.addEventListener("submit", function (event) {
      form.querySelector("input[name=device_time]").value = new Date().toISOString();
      if (navigator.onLine) return;
      event.preventDefault();
      collect(form).then(function (record) {
        return store("readwrite", function (s) { return s.put(record); });
      }).then(function () {
        form.reset();
        form.querySelector("input[name=client_id]").value = newId();
        var note = document.getElementById("offline-saved");
        note.hidden = false;
        note.focus();
        window.scrollTo(0, 0);
        return show();
      });
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-worker"), {
      scope: root.getAttribute("data-scope")
    }).catch(function () {});
  }
  window.addEventListener("online", flush);
  show().then(flush);
})();
