// The pages' only script of our own, served as a file (/web/direct.js) so the Content-Security-Policy
// stays `script-src 'self'` with no inline code. Written by hand (about forty lines, no library):
// the browser's EventSource already reconnects and resumes with Last-Event-ID, and the pages are
// cookie-authenticated on the same origin, so it needs no token and no fetch-based SSE client.
export const LIVE_SCRIPT = `(function () {
  'use strict';
  var box = document.getElementById('direct');
  if (!box || typeof EventSource === 'undefined' || typeof DOMParser === 'undefined') return;
  var stream = box.getAttribute('data-direct-stream');
  var from = box.getAttribute('data-direct-from');
  var message = box.getAttribute('data-direct-message') || 'Ce dossier a changé';
  var source = new EventSource(stream + (from ? '?after=' + encodeURIComponent(from) : ''));
  var latest = null;
  var busy = false;
  function notice(detail) {
    box.textContent = '';
    var outer = document.createElement('div');
    outer.className = 'fr-notice fr-notice--info';
    var body = document.createElement('div');
    body.className = 'fr-container fr-notice__body';
    var p = document.createElement('p');
    var title = document.createElement('span');
    title.className = 'fr-notice__title';
    title.textContent = message;
    var desc = document.createElement('span');
    desc.className = 'fr-notice__desc';
    desc.textContent = ' ' + detail + ' ';
    var link = document.createElement('a');
    link.className = 'fr-notice__link';
    link.href = location.pathname + location.search;
    link.textContent = 'Recharger la page';
    p.appendChild(title);
    p.appendChild(desc);
    p.appendChild(link);
    body.appendChild(p);
    outer.appendChild(body);
    box.appendChild(outer);
  }
  function refresh() {
    if (busy || latest === null) return;
    busy = true;
    var position = latest;
    latest = null;
    var url = new URL(location.href);
    // Read-your-writes: the page is rebuilt once the read models have applied this change.
    url.searchParams.set('apres', position);
    fetch(url.toString(), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error(String(r.status))); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var zones = document.querySelectorAll('[data-direct-zone]');
        for (var i = 0; i < zones.length; i++) {
          var name = zones[i].getAttribute('data-direct-zone');
          var fresh = doc.querySelector('[data-direct-zone="' + name + '"]');
          if (fresh) zones[i].replaceWith(document.importNode(fresh, true));
        }
        notice('Les informations ci-dessous sont à jour.');
      })
      .catch(function () { notice('Rechargez la page pour voir la nouvelle version.'); })
      .then(function () { busy = false; if (latest !== null) refresh(); });
  }
  source.addEventListener('changement', function (event) {
    try { latest = JSON.parse(event.data).position; } catch (e) { latest = event.lastEventId; }
    refresh();
  });
})();
`;
