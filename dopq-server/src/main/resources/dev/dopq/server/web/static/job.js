"use strict";
// One job: facts, events, and (for its owner or an admin) a live log tail shown as plain text.
var id = new URLSearchParams(location.search).get("id") || "";
var logOffset = -200;
var logAllowed = true;
var csrf = null;

function el(tag, text) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

function showError(text) {
  var p = document.getElementById("error");
  p.textContent = text;
  p.hidden = !text;
}

function fact(dl, name, value) {
  if (value === null || value === undefined || value === "") { return; }
  dl.appendChild(el("dt", name));
  dl.appendChild(el("dd", value));
}

function render(d) {
  csrf = d.me.csrf;
  var j = d.job;
  document.getElementById("title").textContent = "job " + j.id + " · " + j.name + " · " + j.user;
  var dl = document.getElementById("facts");
  dl.replaceChildren();
  fact(dl, "state", j.state);
  dl.lastChild.id = "state";
  fact(dl, "why it waits", d.waiting);
  fact(dl, "GPUs", j.gpus.length ? j.gpus.join(",") : j.gpusRequested + " requested");
  fact(dl, "image", d.image);
  fact(dl, "memory", d.memory > 0 ? Math.round(d.memory / 1048576) + " MiB" : "no limit");
  fact(dl, "timeout", d.timeoutSeconds > 0 ? d.timeoutSeconds + " s" : "none");
  fact(dl, "submitted", j.submittedAt);
  fact(dl, "started", j.startedAt);
  fact(dl, "finished", j.finishedAt);
  fact(dl, "exit code", j.exitCode);
  fact(dl, "reason", j.reason);
  var actions = document.getElementById("actions");
  actions.replaceChildren();
  if (d.mayAct && (j.state === "QUEUED" || j.state === "RUNNING" || j.state === "BUILDING" || j.state === "RECEIVED")) {
    var b = el("button", j.state === "RUNNING" ? "Cancel" : "Delete");
    b.id = "cancel";
    b.type = "button";
    b.addEventListener("click", cancel);
    actions.appendChild(b);
  }
  var body = document.querySelector("#events tbody");
  body.replaceChildren.apply(body, d.events.map(function (e) {
    var tr = document.createElement("tr");
    [e.at, e.actor, e.from, e.to, e.reason].forEach(function (v) { tr.appendChild(el("td", v)); });
    return tr;
  }));
}

function cancel() {
  fetch("/api/cancel?id=" + encodeURIComponent(id), {method: "POST", headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"})
    .then(function (r) { return r.ok ? refresh() : r.json().then(function (e) { showError(e.error || ("HTTP " + r.status)); }); })
    .catch(function (e) { showError(String(e)); });
}

function refresh() {
  return fetch("/api/job?id=" + encodeURIComponent(id), {credentials: "same-origin"})
    .then(function (r) {
      if (r.status === 401) { location.href = "/login"; return null; }
      return r.json().then(function (d) { if (r.ok) { showError(""); render(d); } else { showError(d.error); } });
    })
    .catch(function (e) { showError(String(e)); });
}

function tail() {
  if (!logAllowed) { return; }
  fetch("/api/log?id=" + encodeURIComponent(id) + "&offset=" + logOffset, {credentials: "same-origin"})
    .then(function (r) {
      if (r.status === 403) {
        logAllowed = false;
        document.getElementById("lognote").textContent = "Only the job's owner or an admin can read its log.";
        return null;
      }
      return r.json().then(function (c) {
        if (!r.ok) { return; }
        var pre = document.getElementById("log");
        pre.textContent = logOffset < 0 ? c.text : pre.textContent + c.text;
        logOffset = c.offset;
      });
    })
    .catch(function () {});
}

refresh();
tail();
setInterval(refresh, 2000);
setInterval(tail, 2000);
