// Open a page embedding <replay-web-page> in headless Chromium and wait until a frame shows
// the given text. Prints {"found": <frame URL or null>, "text": ..., "frames": [...]}.
// Usage: node replaywebpage_drive.mjs PAGE_URL NEEDLE [deep]   (RWP_DIR: where puppeteer-core is)
// "deep" reads the text inside shadow roots too (the viewer's own UI), not just the rendered page.
import { createRequire } from "node:module";

const require = createRequire(process.env.RWP_DIR + "/");
const puppeteer = require("puppeteer-core");
const [pageUrl, needle, mode] = process.argv.slice(2);
const TIMEOUT_MS = 60000;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Loopback only: every other host name fails to resolve, so nothing reaches the network.
  args: ["--no-sandbox", "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});
try {
  const page = await browser.newPage();
  const log = [];
  page.on("console", (message) => log.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => log.push(`pageerror: ${error.message}`));
  // The viewer answers 404 for an archived page asked for before it has read the WACZ's index
  // (seen on a loaded machine, sometimes twice running): the page is opened again after each
  // such 404, as a reader would reload it, waiting longer each time. A record that is really
  // missing stays missing until the deadline.
  let missedAt = null;
  page.on("response", (response) => {
    if (response.status() === 404 && /\/\d{14}mp_\//.test(response.url()) && missedAt === null) {
      missedAt = Date.now();
      log.push(`404 from the viewer: ${response.url()}`);
    }
  });
  let reloads = 0;
  await page.goto(pageUrl);
  const deadline = Date.now() + TIMEOUT_MS;
  let found = null;
  let text = "";
  // The archived page renders in a frame served by ReplayWeb.page's service worker; poll the
  // frames until one shows the text (there is no event for "replayed page rendered").
  while (!found && Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        const body = await frame.evaluate((deep) => {
          if (!document.body) return "";
          if (!deep) return document.body.innerText;
          const parts = [];
          const walk = (node) => {
            if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
            if (node.shadowRoot) walk(node.shadowRoot);
            for (const child of node.childNodes) walk(child);
          };
          walk(document.body);
          return parts.join(" ");
        }, mode === "deep");
        if (body.includes(needle)) {
          found = frame.url();
          text = body;
          break;
        }
      } catch (e) {
        // a frame navigating away while we read it
      }
    }
    if (!found && missedAt !== null && Date.now() - missedAt > 2000 * 2 ** reloads) {
      reloads += 1;
      missedAt = null;
      log.push(`reload ${reloads} after the viewer's 404`);
      await page.reload().catch((e) => log.push(`reload failed: ${e.message}`));
    }
    if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!found) {
    // what each frame shows instead, for the failure message
    const shown = [];
    for (const frame of page.frames()) {
      try {
        shown.push(`${frame.url()}: ${(await frame.evaluate(() => (document.body ? document.body.innerText : ""))).slice(0, 300)}`);
      } catch (e) {
        shown.push(`${frame.url()}: (unreadable: ${e.message})`);
      }
    }
    text = shown.join("\n");
  }
  console.log(JSON.stringify({ found, text, frames: page.frames().map((f) => f.url()), log }));
} finally {
  await browser.close();
}
