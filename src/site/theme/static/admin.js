// The admin's one script, and an optional one: every form works without
// it.  In the editor it keeps the Markdown preview up to date while one
// types (the server renders it, as the site will) and lets a suggested
// label be taken without reloading the page.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) return;
  var source = form.querySelector('#source');
  var labels = form.querySelector('#labels');
  var csrf = form.querySelector('input[name="csrf"]');
  var timer = null;

  function previewBox() {
    var box = form.querySelector('.preview .prose');
    if (box) return box;
    var section = document.createElement('section');
    section.className = 'preview';
    section.setAttribute('aria-labelledby', 'preview-h');
    var h = document.createElement('h2');
    h.id = 'preview-h';
    h.textContent = 'Preview';
    box = document.createElement('div');
    box.className = 'prose';
    section.appendChild(h);
    section.appendChild(box);
    form.querySelector('.main-col').appendChild(section);
    return box;
  }

  function refresh() {
    var body = new URLSearchParams();
    body.set('csrf', csrf.value);
    body.set('source', source.value);
    fetch('/admin/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      // Markdown rendered and sanitized by the server: no raw HTML.
      if (html !== null) previewBox().innerHTML = html;
    }).catch(function () { /* the Preview button still works */ });
  }

  source.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });

  form.addEventListener('click', function (e) {
    var chip = e.target.closest('button.chip');
    if (!chip) return;
    e.preventDefault();
    var have = labels.value.split(',').map(function (s) { return s.trim(); })
      .filter(function (s) { return s !== ''; });
    if (have.indexOf(chip.value) < 0) have.push(chip.value);
    labels.value = have.join(', ');
    var set = chip.parentNode;
    chip.remove();
    if (!set.querySelector('button.chip')) set.remove();
    labels.focus();
  });
}());
