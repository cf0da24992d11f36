/**
 * The import form's progress bar, served as /web/import-progress.js (a script of our own: the CSP
 * allows nothing inline). XMLHttpRequest, not fetch: browsers report upload progress only through
 * `xhr.upload.onprogress` (fetch has no upload progress). Without script the form posts as usual.
 */
export const IMPORT_PROGRESS_SCRIPT = `(function () {
  var form = document.getElementById('formulaire-import');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var box = document.getElementById('progression');
  var bar = document.getElementById('barre-progression');
  var text = document.getElementById('progression-texte');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    box.hidden = false;
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      bar.value = pct;
      bar.textContent = pct + ' %';
      text.textContent = pct < 100 ? 'Envoi : ' + pct + ' %' : 'Fichier envoyé, vérification des lignes…';
    };
    xhr.onload = function () {
      // Success answers with the report page (after the redirect): show it at its own address.
      if (xhr.status < 400 && xhr.responseURL) { window.location.assign(xhr.responseURL); return; }
      document.open(); document.write(xhr.responseText); document.close();
    };
    xhr.onerror = function () { text.textContent = 'Échec de l’envoi : vérifiez votre connexion puis réessayez.'; };
    xhr.send(new FormData(form));
  });
})();
`;
