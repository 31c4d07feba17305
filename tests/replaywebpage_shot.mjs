// Open a page embedding <replay-web-page> in headless Chromium, wait until the replayed page
// shows NEEDLE and has loaded, then screenshot the replay frame and report every network
// request the replayed page made (through ReplayWeb.page's service worker) with its status.
// Prints {"frame": URL, "png": base64, "size": [w, h], "requests": [{url, status, fromSW}], ...}.
// Usage: node replaywebpage_shot.mjs PAGE_URL NEEDLE WIDTH HEIGHT   (RWP_DIR: puppeteer-core)
import { createRequire } from "node:module";

const require = createRequire(process.env.RWP_DIR + "/");
const puppeteer = require("puppeteer-core");
const [pageUrl, needle, width, height] = process.argv.slice(2);
const TIMEOUT_MS = 60000;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  defaultViewport: { width: Number(width), height: Number(height) },
  // Loopback only: every other host name fails to resolve, so nothing reaches the network.
  args: ["--no-sandbox", "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});
try {
  const page = await browser.newPage();
  const log = [];
  const requests = new Map();  // request -> {url, frame, status, fromSW, failure}
  page.on("console", (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on("request", (request) => requests.set(request, { url: request.url(), status: null }));
  page.on("response", (response) => {
    const entry = requests.get(response.request());
    if (entry) Object.assign(entry, { status: response.status(), fromSW: response.fromServiceWorker() });
  });
  page.on("requestfailed", (request) => {
    const entry = requests.get(request);
    if (entry) entry.failure = request.failure()?.errorText || "failed";
  });
  await page.goto(pageUrl);
  const deadline = Date.now() + TIMEOUT_MS;
  let frame = null;
  // The archived page renders in a frame served by the service worker; poll the frames until
  // one shows the text and has finished loading (its images decoded, its fonts ready).
  while (!frame && Date.now() < deadline) {
    for (const candidate of page.frames()) {
      try {
        const ready = await candidate.evaluate(async (needle) => {
          if (!document.body || !document.body.innerText.includes(needle)) return false;
          if (document.readyState !== "complete") return false;
          await document.fonts.ready;
          return [...document.images].every((i) => i.complete);
        }, needle);
        if (ready) { frame = candidate; break; }
      } catch (e) {
        // a frame navigating away while we read it
      }
    }
    if (!frame) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const result = { frame: frame && frame.url(), frames: page.frames().map((f) => f.url()), log };
  if (frame) {
    const element = await frame.frameElement();
    const png = await element.screenshot({ encoding: "base64" });
    const box = await element.boundingBox();
    result.png = png;
    result.size = [Math.round(box.width), Math.round(box.height)];
    result.fontFamily = await frame.evaluate(() => getComputedStyle(document.body).fontFamily);
    result.images = await frame.evaluate(() => [...document.images].map((i) => [i.src, i.naturalWidth]));
    const frameUrls = new Set([frame.url()]);
    result.requests = [...requests.entries()]
      .filter(([request]) => request.frame() && frameUrls.has(request.frame().url()))
      .map(([request, entry]) => ({ ...entry, type: request.resourceType(),
                                    navigation: request.isNavigationRequest() }));
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
