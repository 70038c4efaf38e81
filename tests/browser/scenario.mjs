// The portal scenario in a real browser: an editor signs in (JavaScript off: the newsroom
// works without it), uploads an image, writes an article and submits it; an approver
// publishes it; a visitor finds it through search and the category page, plays its audio
// and rates it; the rating shows on the approver's chart. Screenshots go to OUT/.
import assert from 'node:assert/strict';
import { freshContext } from './chrome.mjs';
import { gradientPng } from './png.mjs';

const [base, out] = process.argv.slice(2);
const title = `Hòa giải viên thôn Pá Khoang học kỹ năng lắng nghe ${Date.now() % 100000}`;
const step = (s) => console.log(`   ${s}`);
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });

async function signIn(page, login, password) {
  await page.goto(`${base}/dang-nhap`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dang-nhap"] button[type=submit]')]);
  assert.match(await page.content(), /Xin chào/);
}

// ---- editor, without JavaScript ------------------------------------------------------------
const editor = await freshContext({ javaScriptEnabled: false });
let articlePath;
try {
  const page = editor.page;
  await signIn(page, 'bientap@stp.anhoa.example', 'Mat-khau-Bien-tap-1');
  step('editor signed in (JavaScript disabled)');
  await page.goto(`${base}/quan-tri/thu-vien`);
  await page.setInputFiles('#file', { name: 'lop-tap-huan.png', mimeType: 'image/png', buffer: gradientPng(960, 540) });
  await page.fill('#alt', 'Hòa giải viên ngồi thành vòng tròn trong nhà văn hóa thôn');
  await Promise.all([page.waitForNavigation(), page.click('form[enctype="multipart/form-data"] button[type=submit]')]);
  const lib = await page.content();
  assert.match(lib, /Đã tải lên/);
  const mediaId = lib.match(/Mã tệp (\d+)<\/strong> · lop-tap-huan\.png/)[1];
  await shot(page, '01-thu-vien-media');
  step(`image uploaded (media ${mediaId})`);

  await page.goto(`${base}/quan-tri/noi-dung/moi`);
  await page.fill('#title', title);
  await page.selectOption('#category', 'tin-hoat-dong');
  await page.selectOption('#org_code', 'AH-STP');
  await page.check('input[name=audiences][value=can_bo]');
  await page.check('input[name=audiences][value=dan_toc]');
  await page.fill('#summary', 'Buổi sinh hoạt chuyên đề giúp hòa giải viên lắng nghe các bên trước khi khuyên giải.');
  await page.fill('#body', `## Lắng nghe trước, khuyên giải sau\n\nHòa giải viên thực hành **đặt câu hỏi mở** và nhắc lại ý của từng bên.\n\n![Hòa giải viên thực hành](/media/${mediaId}/w800.webp)\n\n- Không ngắt lời\n- Ghi lại điều các bên thống nhất`);
  await page.fill('#topics', 'hòa giải ở cơ sở, kỹ năng');
  await page.fill('#cover_media_id', mediaId);
  await Promise.all([page.waitForNavigation(), page.click('button[name=action][value=preview]')]);
  assert.match(await page.content(), /Xem trước/);
  await shot(page, '02-xem-truoc');
  await Promise.all([page.waitForNavigation(), page.click('button[name=action][value=save]')]);
  assert.match(await page.content(), /Đã lưu bản nháp/);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/gui-duyet"] button')]);
  assert.match(await page.content(), /Đã gửi bài cho người duyệt/);
  await shot(page, '03-gui-duyet');
  step('article written and submitted');
} finally {
  await editor.close();
}

// ---- approver ------------------------------------------------------------------------------
const approver = await freshContext();
try {
  const page = approver.page;
  await signIn(page, 'duyet@stp.anhoa.example', 'Mat-khau-Duyet-bai-1');
  await page.goto(`${base}/quan-tri/noi-dung?trang-thai=submitted`);
  await Promise.all([page.waitForNavigation(), page.click(`text=${title}`)]);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/xuat-ban"] button')]);
  const html = await page.content();
  assert.match(html, /Đã xuất bản/);
  articlePath = html.match(/href="(\/tin-tuc\/[^"]+)">Xem trên cổng/)[1];
  await shot(page, '04-xuat-ban');
  step(`approver published ${articlePath}`);
} finally {
  await approver.close();
}

// ---- visitor -------------------------------------------------------------------------------
const visitor = await freshContext();
try {
  const page = visitor.page;
  // Search needs the index job, queued behind the sample content's speech jobs: retry.
  let found = false;
  for (let i = 0; i < 240 && !found; i++) {
    await page.goto(`${base}/tim-kiem?q=${encodeURIComponent('hoa giai vien pa khoang lang nghe')}`);
    found = (await page.locator(`a[href="${articlePath}"]`).count()) > 0;
    if (!found) await page.waitForTimeout(500);
  }
  assert.ok(found, 'the article is found by search (typed without accents)');
  await shot(page, '05-tim-kiem');
  await page.goto(`${base}/chuyen-muc/tin-hoat-dong`);
  assert.ok((await page.locator(`a[href="${articlePath}"]`).count()) > 0, 'the article is on its category page');
  await Promise.all([page.waitForNavigation(), page.click(`a[href="${articlePath}"]`)]);
  step('visitor found it through search and the category page');
  // Nghe bài viết: wait for the speech job, then play.
  let audio = 0;
  for (let i = 0; i < 240 && !audio; i++) {
    audio = await page.locator('section.listen audio').count();
    if (!audio) { await page.waitForTimeout(500); await page.reload(); }
  }
  assert.ok(audio, 'the read-aloud audio appears');
  const played = await page.evaluate(async () => {
    const a = document.querySelector('section.listen audio');
    a.muted = true;
    await a.play();
    await new Promise((r) => setTimeout(r, 1500));
    return { time: a.currentTime, duration: a.duration, error: a.error && a.error.code };
  });
  assert.equal(played.error, null);
  assert.ok(played.time > 0.5, `audio played (currentTime ${played.time})`);
  // A finite duration means the server answers range requests (the player can seek).
  assert.ok(Number.isFinite(played.duration) && played.duration > 3, `audio has a duration (${played.duration}s)`);
  assert.equal(await page.locator('img[alt="Hòa giải viên ngồi thành vòng tròn trong nhà văn hóa thôn"]').count(), 1);
  await shot(page, '06-bai-viet');
  step(`audio played (${played.time.toFixed(1)} of ${played.duration.toFixed(1)} s)`);
  await page.check('input[name=score][value="5"]');
  await page.fill('#gop-y', 'Bài viết rất gần gũi với bà con.');
  await Promise.all([page.waitForNavigation(), page.click('#danh-gia button[type=submit]')]);
  assert.match(await page.content(), /Cảm ơn bạn đã đánh giá/);
  await shot(page, '07-danh-gia');
  step('visitor rated it 5/5');
} finally {
  await visitor.close();
}

// ---- the rating on the chart ------------------------------------------------------------------
const admin = await freshContext();
try {
  const page = admin.page;
  await signIn(page, 'duyet@stp.anhoa.example', 'Mat-khau-Duyet-bai-1');
  await page.goto(`${base}/quan-tri/danh-gia`);
  const html = await page.content();
  assert.match(html, /<svg[^>]*class="chart"/);
  assert.match(html, /Tổng cộng 1 lượt/);
  assert.match(html, /Bài viết rất gần gũi với bà con/);
  assert.ok(html.includes(title), 'the rated article is listed by page');
  await shot(page, '08-bieu-do-hai-long');
  step('the rating shows on the admin chart');
} finally {
  await admin.close();
}
console.log('== browser: scenario passed');
