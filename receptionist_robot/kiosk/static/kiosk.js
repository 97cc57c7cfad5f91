// The kiosk page: greeting screen, chat by server-sent events, tour panel and labelled map.
// Kept out of the page so the page can be served with a CSP that forbids inline scripts.
"use strict";
const T = {
  "en": {title: "Smart Government Innovation Lab", stop: "STOP", robot: "Robot", send: "Send", placeholder: "Type or speak here…",
         tour: "Tour", map: "Map", message: "Message",
         hello: "Hello! I can check you in, take you on a tour, or tell you about the exhibits.",
         quick: [["Check in", "I'd like to check in"], ["Start the tour", "start the tour"], ["What is the lab?", "what does the lab do"]]},
  "zh-HK": {title: "智慧政府創新實驗室", stop: "停止", robot: "機械人", send: "傳送", placeholder: "喺度輸入…",
            tour: "導賞", map: "地圖", message: "訊息",
            hello: "你好！我可以幫你登記、帶你參觀，或者介紹展品。",
            quick: [["登記", "我想登記"], ["開始導賞", "開始導賞"], ["實驗室做咩", "實驗室做咩㗎"]]},
  "zh-CN": {title: "智慧政府创新实验室", stop: "停止", robot: "机器人", send: "发送", placeholder: "在这里输入…",
            tour: "导览", map: "地图", message: "消息",
            hello: "你好！我可以帮你登记、带你参观，或者介绍展品。",
            quick: [["登记", "我想登记"], ["开始导览", "开始导览"], ["实验室做什么", "实验室是做什么的"]]},
};
const STATES = {
  "en": {docked: "on its dock", greeting: "greeting", navigating: "moving", presenting: "presenting", paused: "paused",
         returning: "going home", docking: "docking", estopped: "emergency stop", fault: "fault", offline: "offline"},
  "zh-HK": {docked: "喺充電座", greeting: "打招呼", navigating: "移動中", presenting: "介紹中", paused: "暫停",
            returning: "返回中", docking: "泊位中", estopped: "緊急停止", fault: "故障", offline: "離線"},
  "zh-CN": {docked: "在充电座", greeting: "打招呼", navigating: "移动中", presenting: "介绍中", paused: "暂停",
            returning: "返回中", docking: "停靠中", estopped: "紧急停止", fault: "故障", offline: "离线"},
};
const RECONNECT_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
let lang = new URLSearchParams(location.search).get("lang") || "zh-HK";
let sid = null, pending = [], reconnecting = null, events = null;
let idleSeconds = 90, lastTouch = Date.now(), touring = false;
const $ = (s) => document.querySelector(s);
const post = (path, body) => fetch("api/" + path, {method: "POST", headers: {"Content-Type": "application/json"},
                                                   body: JSON.stringify(body)});
const getJson = (path) => fetch("api/" + path).then(r => r.json());

function showLanguage(l) {
  lang = T[l] ? l : "en";
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-lang]").forEach(b => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  document.querySelectorAll("[data-i18n]").forEach(e => { e.textContent = T[lang][e.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-label]").forEach(e => e.setAttribute("aria-label", T[lang][e.dataset.i18nLabel]));
  $("#text").placeholder = T[lang].placeholder;
  refreshRobot();  // the stops and the map's labels in the new language at once
}

function bubble(role, text) {
  const div = document.createElement("div");
  div.className = "msg " + role;
  div.textContent = text;
  $("#chat").appendChild(div);
  $("#chat").scrollTop = $("#chat").scrollHeight;
  return div;
}
function quickReplies(buttons) {
  const row = document.createElement("div");
  row.className = "quick";
  buttons.forEach(([title, payload]) => {
    const btn = document.createElement("button");
    btn.type = "button"; btn.textContent = title;
    btn.onclick = () => { row.remove(); say(payload, title); };
    row.appendChild(btn);
  });
  $("#chat").appendChild(row);
}
function addMessage(m) {
  if (m.role === "visitor") {
    const waiting = pending.find(p => p.shown === m.text);
    if (waiting) { waiting.div.remove(); pending = pending.filter(p => p !== waiting); }
  }
  bubble(m.role, m.text);
  if (m.buttons && m.buttons.length) quickReplies(m.buttons.map(b => [b.title, b.payload]));
}

// -- the assistant: a turn that fails is kept, shown as pending, and sent again on reconnect --
async function say(text, shown) {
  if (!text.trim() || !sid) return;
  touched();
  const turn = {text, shown: shown || text, div: null};
  if (reconnecting) { keep(turn); return; }
  const answer = await post(`sessions/${sid}/say`, {text, shown: shown || null}).catch(() => null);
  if (!answer || answer.status === 503) {
    keep(turn);
    const detail = answer ? (await answer.json()).detail : null;
    unavailable(detail && detail.text);
  }
}
function keep(turn) {
  turn.div = bubble("visitor pending", turn.shown);
  pending.push(turn);
}
function unavailable(text) {
  const banner = $("#assistant");
  banner.textContent = text || banner.textContent;
  banner.hidden = false;
  document.body.dataset.assistant = "down";
  if (!reconnecting) reconnecting = setInterval(reconnect, RECONNECT_MS);
}
async function reconnect() {
  const state = await getJson("assistant").catch(() => ({up: false}));
  if (state.up) available();
}
async function available() {
  clearInterval(reconnecting); reconnecting = null;
  $("#assistant").hidden = true;
  document.body.dataset.assistant = "up";
  const again = pending; pending = [];
  for (const turn of again) { turn.div.remove(); await say(turn.text, turn.shown === turn.text ? null : turn.shown); }
}

// -- the tour panel and the labelled map --
function drawMap(r) {
  const places = Object.entries(r.locations || {});
  if (!places.length) return;
  const xs = places.map(([, p]) => p.y), ys = places.map(([, p]) => -p.x);
  const pad = 1.2, minX = Math.min(...xs) - pad, minY = Math.min(...ys) - pad;
  $("#map").setAttribute("viewBox", `${minX} ${minY} ${Math.max(...xs) - minX + pad} ${Math.max(...ys) - minY + pad}`);
  const here = r.stops && r.index >= 0 && r.stops[r.index] ? r.stops[r.index].location : null;
  const g = $("#route"); g.replaceChildren();
  places.forEach(([key, p]) => {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", p.y); c.setAttribute("cy", -p.x); c.setAttribute("r", 0.25);
    c.setAttribute("class", "place" + (key === here ? " current" : "")); c.dataset.location = key;
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", p.y + ({start: -0.25, end: 0.25, middle: 0})[anchor(p.y, xs)]); label.setAttribute("y", -p.x + 0.7); label.setAttribute("text-anchor", anchor(p.y, xs));
    label.setAttribute("class", "label" + (key === here ? " current" : "")); label.dataset.location = key;
    label.textContent = p.name || key;
    g.append(c, label);
  });
  $("#bot").setAttribute("cx", r.y || 0); $("#bot").setAttribute("cy", -(r.x || 0));
  $("#bot").dataset.x = r.x; $("#bot").dataset.y = r.y;
}
function anchor(x, xs) {  // labels at the edges grow inwards, so none is cut off
  const low = Math.min(...xs), high = Math.max(...xs), quarter = (high - low) / 4;
  return x <= low + quarter ? "start" : x >= high - quarter ? "end" : "middle";
}
async function refreshRobot() {
  const r = await getJson("robot?lang=" + encodeURIComponent(lang)).catch(() => null);
  if (!r) return;
  touring = Boolean(r.running);
  $("#state").textContent = (STATES[lang][r.state] || r.state);
  $("#state").dataset.state = r.state;
  const ol = $("#stops"); ol.replaceChildren();
  (r.stops || []).forEach((s, i) => {
    const li = document.createElement("li");
    li.textContent = s.name; li.dataset.location = s.location;
    if (r.done && r.done.includes(s.location)) li.className = "done";
    else if (i === r.index) li.className = "current";
    ol.appendChild(li);
  });
  drawMap(r);
}

// -- the next visitor: an idle kiosk with no tour running forgets the conversation --
function touched() { lastTouch = Date.now(); }
async function checkIdle() {
  if (!sid || touring || Date.now() - lastTouch < idleSeconds * 1000) return;
  const gone = sid; sid = null;
  if (events) events.close();
  clearInterval(reconnecting); reconnecting = null; pending = [];
  $("#chat").replaceChildren();
  $("#assistant").hidden = true;
  delete document.body.dataset.ready;
  $("#greeting").hidden = false;
  await fetch(`api/sessions/${gone}`, {method: "DELETE"}).catch(() => null);
}

async function start(chosen) {
  $("#greeting").hidden = true;
  touched();
  showLanguage(chosen);
  const s = await post("sessions", {lang}).then(r => r.json());
  sid = s.id;
  events = new EventSource(`api/sessions/${sid}/events`);
  events.addEventListener("message", e => addMessage(JSON.parse(e.data)));
  events.addEventListener("language", e => showLanguage(JSON.parse(e.data).lang));
  events.addEventListener("robot", () => refreshRobot());
  events.addEventListener("assistant", e => { const a = JSON.parse(e.data); a.up ? available() : unavailable(a.text); });
  events.onopen = () => { document.body.dataset.ready = "true"; };
  bubble("robot", T[lang].hello);
  quickReplies(T[lang].quick);
  if (s.assistant === false) unavailable(s.unavailable);
}
showLanguage(lang);
getJson("config").then(c => { idleSeconds = c.idle_seconds; }).catch(() => null);
setInterval(refreshRobot, 700);
setInterval(checkIdle, 1000);
["pointerdown", "keydown"].forEach(kind => document.addEventListener(kind, touched, true));
document.querySelectorAll("[data-start]").forEach(b => b.onclick = () => start(b.dataset.start));
document.querySelectorAll("[data-lang]").forEach(b => b.onclick = () => post(`sessions/${sid}/lang`, {lang: b.dataset.lang}));
$("#stop").onclick = () => post("robot/stop", {});
$("#ask").onsubmit = (e) => { e.preventDefault(); const t = $("#text").value; $("#text").value = ""; say(t); };
