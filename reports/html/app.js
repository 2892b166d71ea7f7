// plumb report: filters for the findings and copy buttons. The page shows all data without it.
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');

  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var findings = document.querySelectorAll('article.finding');
  var kind = byId('filter-kind');
  var status = byId('filter-status');
  var tool = byId('filter-tool');
  var search = byId('filter-search');
  var count = byId('filter-count');

  function applyFilters() {
    var wantKind = kind ? kind.value : '';
    var wantStatus = status ? status.value : '';
    var wantTool = tool ? tool.value : '';
    var needle = search ? search.value.trim().toLowerCase() : '';
    var shown = 0;
    each(findings, function (el) {
      var tools = (el.getAttribute('data-tools') || '').split(' ');
      var match = (!wantKind || el.getAttribute('data-kind') === wantKind) &&
          (!wantStatus || el.getAttribute('data-status') === wantStatus) &&
          (!wantTool || tools.indexOf(wantTool) >= 0) &&
          (!needle || el.textContent.toLowerCase().indexOf(needle) >= 0);
      el.hidden = !match;
      if (match) { shown += 1; }
    });
    if (count) {
      count.textContent = shown + ' of ' + findings.length + ' shown';
    }
  }
  // A link like report.html#filter:kind=race&status=new opens with those filters set.
  if (window.location.hash.indexOf('#filter:') === 0) {
    var params = new URLSearchParams(window.location.hash.slice('#filter:'.length));
    if (kind && params.has('kind')) { kind.value = params.get('kind'); }
    if (status && params.has('status')) { status.value = params.get('status'); }
    if (tool && params.has('tool')) { tool.value = params.get('tool'); }
    if (search && params.has('q')) { search.value = params.get('q'); }
  }
  each([kind, status, tool, search], function (el) {
    if (el) {
      el.addEventListener('input', applyFilters);
      el.addEventListener('change', applyFilters);
    }
  });
  applyFilters();

  function copyFallback(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function flash(button, text) {
    var original = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', original);
    button.textContent = text;
    window.setTimeout(function () { button.textContent = original; }, 1500);
  }
  each(document.querySelectorAll('button.copy'), function (button) {
    button.addEventListener('click', function () {
      var source = byId(button.getAttribute('data-copy-target'));
      if (!source) { return; }
      var text = source.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { flash(button, 'Copied'); },
          function () { flash(button, copyFallback(text) ? 'Copied' : 'Select & copy'); });
      } else {
        flash(button, copyFallback(text) ? 'Copied' : 'Select & copy');
      }
    });
  });
}());
