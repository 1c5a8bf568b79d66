"use strict";
// The main page: data arrives over Server-Sent Events; all text is set with textContent, never as HTML.
var csrf = null;

function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  if (cls) { e.className = cls; }
  return e;
}

function ago(iso) {
  if (!iso) { return ""; }
  var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) { return s + "s"; }
  if (s < 3600) { return Math.floor(s / 60) + "m " + (s % 60) + "s"; }
  if (s < 86400) { return Math.floor(s / 3600) + "h " + Math.floor((s % 3600) / 60) + "m"; }
  return Math.floor(s / 86400) + "d " + Math.floor((s % 86400) / 3600) + "h";
}

function jobLink(job) {
  var a = el("a", job.id);
  a.href = "/job?id=" + encodeURIComponent(job.id);
  return a;
}

function row(cells) {
  var tr = document.createElement("tr");
  cells.forEach(function (c) {
    var td = document.createElement("td");
    if (c instanceof Node) { td.appendChild(c); } else { td.textContent = c === null || c === undefined ? "" : String(c); }
    tr.appendChild(td);
  });
  return tr;
}

function fill(id, rows) {
  var body = document.querySelector("#" + id + " tbody");
  body.replaceChildren.apply(body, rows);
}

function cancelButton(job, me) {
  if (!(me.admin || me.user === job.user)) { return ""; }
  var b = el("button", job.state === "RUNNING" ? "Cancel" : "Delete", "cancel");
  b.type = "button";
  b.dataset.job = job.id;
  b.addEventListener("click", function () { cancel(job.id); });
  return b;
}

function cancel(id) {
  fetch("/api/cancel?id=" + encodeURIComponent(id), {method: "POST", headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"})
    .then(function (r) { return r.ok ? null : r.json().then(function (e) { showError(e.error || ("HTTP " + r.status)); }); })
    .catch(function (e) { showError(String(e)); });
}

function showError(text) {
  var p = document.getElementById("error");
  p.textContent = text;
  p.hidden = !text;
}

/** " (10240 MiB shared)" for a job with gpu_memory, else nothing. */
function shared(j) {
  return j.gpuMemory > 0 ? " (" + Math.round(j.gpuMemory / 1048576) + " MiB shared)" : "";
}

function render(s) {
  csrf = s.me.csrf;
  document.getElementById("me").textContent = s.me.user + (s.me.admin ? " (admin)" : "");
  document.getElementById("summary").textContent = (s.locked ? "LOCKED · " : "") + s.counts.running + " running · "
    + s.counts.queued + " queued · " + s.counts.building + " being prepared";
  fill("gpus", s.gpus.map(function (g) {
    var state = g.memoryAsked > 0 ? "shared, " + Math.round(g.memoryAsked / 1048576) + " MiB asked"
      : g.foreign ? "foreign" : g.busy ? "busy" : g.heldFor ? "held for " + g.heldFor : "free";
    var used = g.memoryUsed >= 0 ? Math.round(g.memoryUsed / 1048576) : "-";
    var mem = g.memoryTotal > 0 ? used + " / " + Math.round(g.memoryTotal / 1048576) + " MiB" : "";
    var jobs = document.createElement("span");
    (g.jobs || []).forEach(function (on, i) {
      if (i > 0) { jobs.appendChild(document.createTextNode(", ")); }
      jobs.appendChild(jobLink({id: on.id}));
    });
    var users = (g.jobs || []).map(function (on) { return on.user; }).filter(function (u) { return u; }).join(", ");
    return row([g.id, state, jobs, users, g.utilization >= 0 ? g.utilization + "%" : "", mem]);
  }));
  fill("running", s.running.map(function (j) {
    var tr = row([jobLink(j), j.name, j.user, j.gpus.join(",") + shared(j), ago(j.startedAt), cancelButton(j, s.me)]);
    tr.dataset.job = j.id; tr.dataset.state = j.state; tr.className = "state-RUNNING";
    return tr;
  }));
  fill("queue", s.queue.map(function (j) {
    var tr = row([j.position, jobLink(j), j.name, j.user, j.gpusRequested + shared(j), ago(j.submittedAt), j.waiting, cancelButton(j, s.me)]);
    tr.dataset.job = j.id; tr.dataset.state = j.state;
    return tr;
  }));
  fill("history", s.history.map(function (j) {
    var tr = row([jobLink(j), j.name, j.user, j.state, j.exitCode, ago(j.finishedAt) + " ago", j.reason]);
    tr.dataset.job = j.id; tr.dataset.state = j.state; tr.className = "state-" + j.state;
    return tr;
  }));
  fill("users", s.users.map(function (u) {
    return row([u.user, u.penalty.toFixed(2), u.running, u.queued, u.finished]);
  }));
}

function connect() {
  var live = document.getElementById("live");
  var source = new EventSource("/events");
  source.addEventListener("state", function (e) {
    live.textContent = "live";
    render(JSON.parse(e.data));
  });
  source.onerror = function () {
    live.textContent = "reconnecting…";
    fetch("/api/state", {credentials: "same-origin"}).then(function (r) {
      if (r.status === 401) { location.href = "/login"; }
    }).catch(function () {});
  };
}

connect();
