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
    if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(JSON.stringify({ found, text, frames: page.frames().map((f) => f.url()), log }));
} finally {
  await browser.close();
}
