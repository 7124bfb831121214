// End-to-end walk of the console in headless Chromium (Debian's, driven by playwright-core)
// against a real `jedel serve` at JEDEL_URL: a call created, categorised, assigned to the
// top unit, its countdown and status followed; a medevac request walked from the
// coordinator through NCCEM to the airline's acceptance; a screenshot of every view in
// SCREENSHOT_DIR. Run by tests/e2e/console.rs; exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const url = process.env.JEDEL_URL ?? "http://127.0.0.1:50051";
const shots = process.env.SCREENSHOT_DIR ?? "screenshots";
mkdirSync(shots, { recursive: true });
const userDataDir = mkdtempSync(join(tmpdir(), "jedel-chromium-"));

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1366, height: 768 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(20000);
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const step = (text) => console.log(`step: ${text}`);
const shot = async (name) => {
  await page.screenshot({ path: join(shots, `${name}.png`) });
  console.log(`screenshot: ${join(shots, `${name}.png`)}`);
};
const expect = (cond, text) => {
  if (!cond) throw new Error(`expected ${text}`);
};

async function login(name, role, scope = {}) {
  await page.goto(url);
  const logout = page.locator("button.link");
  if (await logout.count()) await logout.click();
  await page.getByTestId("login-name").fill(name);
  await page.getByTestId("login-role").selectOption(role);
  if (scope.region) await page.getByTestId("login-region").fill(scope.region);
  if (scope.airline) await page.getByTestId("login-airline").selectOption(scope.airline);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("who").waitFor();
}

try {
  step("login screen");
  await page.goto(url);
  await page.getByTestId("login").waitFor();
  await page.getByTestId("lang-en").click();
  await shot("login");

  step("call-taker: new call with triage");
  await login("aigerim", "dispatcher", { region: "KZ-71" });
  await page.keyboard.press("Alt+1");
  await page.getByTestId("call-phone").fill("8 701 234 56 78");
  await page.getByTestId("call-address").fill("Nurzhol 14, entrance 2");
  await page.getByTestId("call-lat").fill("51.1283");
  await page.getByTestId("call-lon").fill("71.4305");
  await page.getByTestId("call-complaint").fill("pressing chest pain for 20 minutes");
  for (const [q, a] of [["conscious", "yes"], ["breathing", "normal"], ["shock_signs", "no"], ["main_problem", "chest_pain"], ["chest_pain_danger", "yes"]]) {
    await page.getByTestId(`answer-${q}-${a}`).check();
  }
  const preview = await page.getByTestId("triage-preview").innerText();
  expect(/Category [1-4]/.test(preview), `a previewed category, got "${preview}"`);
  await page.getByTestId("lang-kk").click();
  await shot("call-taker-kk");
  await page.getByTestId("lang-en").click();
  await page.keyboard.press("Control+Enter");
  await page.getByTestId("call-result").waitFor();
  const number = (await page.getByTestId("call-number").innerText()).trim();
  const result = await page.getByTestId("call-result").innerText();
  expect(/Category [1-4]/.test(result), `the call's category, got "${result}"`);
  expect(/Reason: \S/.test(result), "the category's reason");
  console.log(`call: ${number} ${result.split("\n")[0]}`);
  await shot("call-taker");

  step("dispatcher: queue, countdown, recommendations");
  await page.keyboard.press("Alt+2");
  const queued = page.locator(`[data-testid=queue-item][data-call="${number}"]`);
  await queued.waitFor();
  await queued.click();
  await page.getByTestId("recommendation").first().waitFor();
  const countdown = queued.getByTestId("countdown");
  const before = await countdown.innerText();
  await page.waitForTimeout(2200);
  const after = await countdown.innerText();
  expect(before !== after, `the countdown to move (${before} then ${after})`);
  const top = await page.getByTestId("recommendation").first().innerText();
  console.log(`top unit: ${top.replace(/\s+/g, " ")}`);
  await shot("dispatcher");

  step("dispatcher: assign the top unit with Enter, then the crew departs");
  await page.keyboard.press("Enter");
  const active = page.locator(`[data-testid=active-item][data-call="${number}"]`);
  await active.waitFor();
  await page.waitForFunction((n) => document.querySelector(`[data-testid=active-item][data-call="${n}"] [data-testid=call-status]`)?.textContent === "assigned", number);
  await active.click();
  await page.getByTestId("active-call").waitFor();
  await page.keyboard.press("d");
  await page.waitForFunction((n) => document.querySelector(`[data-testid=active-item][data-call="${n}"] [data-testid=call-status]`)?.textContent === "en route", number);
  await page.waitForFunction(() => document.querySelector("[data-testid=unit-status]")?.textContent === "en route");
  await shot("dispatcher-en-route");

  step("situation centre");
  await login("saltanat", "situation");
  await page.getByTestId("region-table").locator("tbody tr").nth(20).waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=region-table] tbody tr td:nth-child(2)")?.textContent !== "—");
  await page.getByTestId("lang-ru").click();
  await shot("situation-ru");
  await page.getByTestId("lang-en").click();

  step("medevac: the coordinator files and submits a request");
  // Pavlodar's hospital: airports open and lit day and night at both ends, so aircraft may
  // fly it at any hour (as in tests/e2e/medevac.rs).
  await login("saule", "coordinator", { region: "KZ-55" });
  await page.getByTestId("mr-doctorName").fill("Saule Nurpeisova");
  await page.getByTestId("mr-doctorPhone").fill("8 701 555 12 34");
  await page.getByTestId("mr-iin").fill("900101300017");
  await page.getByTestId("mr-familyName").fill("Seitkali");
  await page.getByTestId("mr-givenName").fill("Arman");
  await page.getByTestId("mr-weight").fill("82");
  await page.getByTestId("mr-icd10").fill("I21.0");
  const origin = await page.getByTestId("mr-origin").locator("option", { hasText: "Pavlodar Regional Multidisciplinary" }).first().getAttribute("value");
  await page.getByTestId("mr-origin").selectOption(origin);
  await page.getByTestId("mr-destName").fill("Astana City Emergency Hospital");
  await page.getByTestId("mr-destLat").fill("51.1553");
  await page.getByTestId("mr-destLon").fill("71.4628");
  await page.getByTestId("mr-consentDoctor").fill("Yerlan Sadykov");
  await page.getByTestId("mr-submit").click();
  await page.getByTestId("request-item").first().waitFor();

  step("medevac: NCCEM reviews, approves, chooses the top aircraft, tasks the airline");
  await login("nurlan", "medevac_dispatcher");
  await page.getByTestId("request-item").first().click();
  await page.getByTestId("start-review").click();
  await page.getByTestId("approve").click();
  await page.getByTestId("air-option").first().waitFor();
  await shot("medevac-options");
  await page.getByTestId("choose-aircraft").first().click();
  await page.getByTestId("task-airline").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=request-status]")?.textContent === "airline tasked");
  const tasking = await page.getByTestId("tasking").innerText();
  const airline = tasking.split("·")[1].trim();
  await page.getByTestId("message-body").fill("Patient ready at 17:00 local; please confirm crew.");
  await page.getByTestId("message-send").click();
  await page.getByTestId("message").first().waitFor();
  console.log(`tasking: ${tasking}`);

  step(`medevac: airline ${airline} accepts`);
  await login("pilot-ops", "airline", { airline });
  await page.getByTestId("tasking-item").first().click();
  await page.getByTestId("message").first().waitFor();
  await page.getByTestId("accept-tasking").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=tasking-status]")?.textContent === "accepted");
  await page.getByTestId("message-body").fill("Accepted, crew assigned shortly.");
  await page.getByTestId("message-send").click();
  await page.getByTestId("message").nth(1).waitFor();
  await shot("airline");

  step("medevac: NCCEM sees the acceptance and the thread");
  await login("nurlan", "medevac_dispatcher");
  await page.getByTestId("request-item").first().click();
  await page.waitForFunction(() => document.querySelector("[data-testid=request-status]")?.textContent === "accepted");
  await page.getByTestId("message").nth(1).waitFor();
  await shot("medevac");

  expect(errors.length === 0, `no page errors, got ${errors.join("; ")}`);
  console.log("console e2e: ok");
} catch (error) {
  console.error(`console e2e failed: ${error.message ?? error}`);
  const text = await page.locator("body").innerText().catch(() => "");
  console.error(`page text:\n${text.slice(0, 3000)}`);
  await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  await context.close();
  process.exit(1);
}
await context.close();
