/* Rule editor: validates the draft rule as it is typed (the same checks as saving; nothing is saved)
   and shows each problem at its position. ES2017 at most. */
(function () {
  'use strict';
  var form = document.getElementById('rule-form');
  if (!form) {
    return;
  }
  var live = document.getElementById('live');
  var timer = null;
  var sent = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function show(result) {
    live.innerHTML = '';
    if (result.valid) {
      live.appendChild(el('p', 'alert ok', '校验通过：沙箱、编译和知识库检查均无问题。'));
      live.setAttribute('data-state', 'valid');
      return;
    }
    var box = el('div', 'alert error');
    box.appendChild(el('strong', null, '发现 ' + result.problems.length + ' 个问题：'));
    var list = el('ul', 'problems');
    result.problems.forEach(function (p) {
      var li = el('li', 'problem');
      var where = p.position === null || p.position === undefined ? '' : '（第 ' + p.line + ' 行第 ' + p.column + ' 列）';
      li.appendChild(document.createTextNode(p.label + where + '：' + p.message));
      if (p.position !== null && p.position !== undefined) {
        var code = el('div', 'code');
        code.appendChild(document.createTextNode(p.before));
        var mark = el('span', 'mark', p.at);
        mark.setAttribute('data-field', p.field);
        mark.setAttribute('data-position', String(p.position));
        code.appendChild(mark);
        code.appendChild(document.createTextNode(p.after));
        li.appendChild(code);
        li.addEventListener('click', function () {
          var area = document.getElementById(p.field.replace('/', ''));
          if (area) {
            area.focus();
            area.setSelectionRange(p.position, p.position + 1);
          }
        });
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    live.appendChild(box);
    live.setAttribute('data-state', 'invalid');
  }

  function validate() {
    var body = new URLSearchParams(new FormData(form));
    body.delete('_csrf');
    var mine = ++sent;
    live.setAttribute('data-state', 'checking');
    fetch(form.getAttribute('data-validate'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': form.querySelector('input[name=_csrf]').value, 'Accept': 'application/json' },
      body: body
    }).then(function (r) {
      if (!r.ok) {
        throw new Error('校验请求失败（HTTP ' + r.status + '）');
      }
      return r.json();
    }).then(function (result) {
      if (mine === sent) {
        show(result);
      }
    }).catch(function (e) {
      live.textContent = e.message;
      live.setAttribute('data-state', 'error');
    });
  }

  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  form.addEventListener('change', function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 100);
  });
})();
