/**
 * The side panels as the people using them meet them, in Chinese and in English: a new poll is
 * announced on the poll tab wherever another tab is shown, each role is told when it sees results,
 * the lecturer fills in missing head counts and sees what the total is made of, counts use plural
 * rules, and nothing in any panel is cut off (no element wider inside than its box).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { clippedElements } from '../helpers/clipping.ts';
import { FakePeer } from '../helpers/fakePeer.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'panels';
// Long names on purpose: they are what got cut off ("Prof. Wang (Shan…", "Room ca…").
const KASHGAR = { classroomId: 'kashgar', classroomName: 'Kashgar No. 1 Middle School, Room 101' };
const LHASA = { classroomId: 'lhasa', classroomName: 'Lhasa Experimental School, Room 3' };
let node: TestNode;
let lhasa: FakePeer;
const tabs: Record<string, BrowserTab> = {};
const page = (label: string): Page => tabs[label]!.page;
const joined = (p: Page) => p.evaluate(() => window.__tongtang!.state().joined);

async function open(label: string, opts: Parameters<TestNode['token']>[0]): Promise<Page> {
  tabs[label] = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label, { viewport: { width: 1280, height: 800 } });
  await eventually(() => joined(page(label)), (j) => j, 30_000, `${label} joined`);
  return page(label);
}
const tab = (p: Page, name: RegExp) => p.getByRole('tab', { name });
const shows = (p: Page, text: string | RegExp) => expect.poll(() => p.getByText(text).first().isVisible(), { timeout: 20_000 }).toBe(true);
const language = (p: Page, lang: 'en' | 'zh-CN') => p.getByRole('combobox', { name: /语言|Language/ }).selectOption(lang);

async function expectNothingClipped(p: Page, name: string): Promise<void> {
  await expect.poll(() => clippedElements(p), { timeout: 5_000, message: `clipped in ${name}` }).toEqual([]);
}

beforeAll(async () => {
  node = await startTestNode({}, { SFU_WORKERS: '1' });
  const lecturer = await open('lecturer', { role: 'lecturer', name: 'Prof. Wang (Shanghai Jiao Tong University)', subject: 'lecturer' });
  await lecturer.getByRole('button', { name: '开始直播' }).click();
  await open('classroom', { role: 'classroom', name: KASHGAR.classroomName, subject: 'room-a', ...KASHGAR });
  await open('assistant', { role: 'assistant', name: 'Aygul Abdurehim (assistant teacher)', subject: 'assistant-a', ...KASHGAR });
  await open('student', { role: 'student', name: 'Li Hua (Xinjiang University)', subject: 'student-1' });
  // The second classroom's projector, without a browser: the machine has two cores.
  lhasa = await FakePeer.join(node.url, node.token({ lectureId, role: 'classroom', name: LHASA.classroomName, subject: 'room-b', ...LHASA }), { receive: false });
}, 120_000);
afterAll(async () => {
  for (const t of Object.values(tabs)) await t.close();
  lhasa?.close();
  await node?.close();
});

describe('polls are not missed', () => {
  it('badges the poll tab where another tab is shown, and states each role\'s rule for results', async () => {
    const [lecturer, student, cls, assistant] = [page('lecturer'), page('student'), page('classroom'), page('assistant')];
    await cls.getByRole('button', { name: '显示聊天和投票' }).click();
    await tab(cls, /聊天/).click();
    await tab(lecturer, /投票/).click();
    await lecturer.getByRole('textbox', { name: '问题' }).fill('哪个数更大？');
    await lecturer.getByRole('textbox', { name: '选项 1' }).fill('0.5');
    await lecturer.getByRole('textbox', { name: '选项 2' }).fill('0.55');
    await lecturer.getByRole('button', { name: '发起投票' }).click();

    for (const [p, name] of [[student, 'student'], [cls, 'projector'], [assistant, 'assistant']] as const) {
      await expect.poll(() => tab(p, /投票/).textContent(), { timeout: 20_000, message: `${name} badge` }).toContain('新投票');
    }
    await screenshot(student, 'panels-student-poll-badge-zh');
    await screenshot(cls, 'panels-classroom-poll-badge-zh');
    await tab(student, /投票/).click();
    await expect.poll(() => tab(student, /投票/).textContent()).not.toContain('新投票');
    await shows(student, '投票结束后向您公布结果。');
    await tab(cls, /投票/).click();
    await shows(cls, /^实时结果/);
    await shows(lecturer, /^实时结果/);
    await student.getByRole('radio', { name: '0.55' }).check();
    await student.getByRole('button', { name: '提交答案' }).click();
    await expect.poll(() => lecturer.locator('.poll-current').textContent(), { timeout: 15_000 }).toContain('1 份回答');
  });

  it('counts with plural rules in English', async () => {
    const lecturer = page('lecturer');
    await language(lecturer, 'en');
    await shows(lecturer, /^1 response$/);
    await shows(lecturer, /^Live results/);
    await language(page('student'), 'en');
    await shows(page('student'), 'Results are shown to you when the poll closes.');
  });
});

describe('attendance', () => {
  it('shows which classrooms miss a head count, lets the lecturer fill one in, and says what the total is made of', async () => {
    const [lecturer, assistant] = [page('lecturer'), page('assistant')];
    await tab(lecturer, /Attendance/).click();
    const missing = lecturer.getByTestId('attendance-panel').getByRole('status');
    await expect.poll(() => missing.textContent(), { timeout: 15_000 }).toBe(`2 classrooms have no head count yet: ${KASHGAR.classroomName}, ${LHASA.classroomName}`);
    await shows(lecturer, 'at least 1');
    await shows(lecturer, 'Made up of 0 by classroom head counts + 1 remote, counted by connection.');
    await screenshot(lecturer, 'panels-lecturer-attendance-missing-en');

    await lecturer.getByRole('spinbutton', { name: `Head count for ${LHASA.classroomName}` }).fill('17');
    await lecturer.getByRole('row', { name: new RegExp(LHASA.classroomName) }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => missing.textContent(), { timeout: 15_000 }).toBe(`1 classroom has no head count yet: ${KASHGAR.classroomName}`);
    await tab(assistant, /教室/).click();
    await assistant.getByRole('spinbutton').fill('28');
    await assistant.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => missing.textContent(), { timeout: 15_000 }).toBe('Every classroom has a head count.');
    await shows(lecturer, 'Made up of 45 by classroom head counts + 1 remote, counted by connection.');
    await expect.poll(() => lecturer.getByRole('row', { name: /^Total/ }).textContent()).toBe('Total46');
    await expectAccessible(lecturer, 'lecturer attendance (en)');
    await language(lecturer, 'zh-CN');
    await expect.poll(() => missing.textContent(), { timeout: 10_000 }).toBe('所有教室都已填写人数。');
    await shows(lecturer, '构成：教室填报 45 人 + 远程在线 1 人。');
    await expect.poll(() => lecturer.getByRole('row', { name: /^合计/ }).textContent()).toBe('合计46');
    await language(lecturer, 'en');
  });
});

describe('the classroom\'s own camera', () => {
  it('is shown big enough to check the room, with its caption under the picture, not over it', async () => {
    const cls = page('classroom');
    const figure = cls.getByRole('figure', { name: '教室摄像头' });
    const video = figure.locator('video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    const picture = (await video.boundingBox())!;
    const caption = (await figure.getByText('教室摄像头').boundingBox())!;
    expect(picture.width).toBeGreaterThanOrEqual(160);
    expect(picture.height).toBeGreaterThanOrEqual(90);
    expect(caption.y).toBeGreaterThanOrEqual(picture.y + picture.height - 1);
    await screenshot(cls, 'panels-classroom-room-camera-zh');
  });
});

describe('chat', () => {
  it('lets the lecturer answer a student\'s private message privately', async () => {
    const [lecturer, student, assistant] = [page('lecturer'), page('student'), page('assistant')];
    const STUDENT = 'Li Hua (Xinjiang University)';
    await tab(student, /Chat/).click();
    await student.getByRole('combobox', { name: 'Send to' }).selectOption('lecturer');
    await student.getByRole('textbox', { name: 'Message' }).fill('Private: can you repeat step 2?');
    await student.getByRole('button', { name: 'Send' }).click();
    await tab(lecturer, /Chat/).click();
    await lecturer.getByRole('button', { name: `Reply privately to ${STUDENT}` }).click();
    await shows(lecturer, `Private reply to ${STUDENT}`);
    await lecturer.getByRole('textbox', { name: 'Message' }).fill('Yes: right after class, just for you.');
    await lecturer.getByRole('button', { name: 'Send' }).click();

    const reply = (p: Page) => p.getByRole('log').getByRole('listitem').filter({ hasText: 'right after class' });
    await expect.poll(() => reply(student).textContent(), { timeout: 15_000 }).toMatch(/Private/);
    await expect.poll(() => reply(lecturer).textContent(), { timeout: 15_000 }).toContain(`Private to ${STUDENT}`);
    // The form is back to writing to everyone; nobody else saw the reply.
    expect(await lecturer.getByText(`Private reply to ${STUDENT}`).count()).toBe(0);
    await tab(assistant, /聊天/).click();
    await expect.poll(() => assistant.getByRole('log').textContent()).not.toContain('right after class');
    await screenshot(lecturer, 'panels-lecturer-private-reply-en');
    await screenshot(student, 'panels-student-private-reply-en');
  });
});

describe('nothing is cut off', () => {
  // A 1280×800 laptop and a 1024×768 projector PC, the narrowest the three-column console serves.
  for (const [lang, size] of [['en', { width: 1280, height: 800 }], ['zh-CN', { width: 1280, height: 800 }], ['en', { width: 1024, height: 768 }], ['zh-CN', { width: 1024, height: 768 }]] as const) {
    it(`in ${lang} at ${size.width}×${size.height}: the lecturer console, the student, the projector and the assistant`, async () => {
      const views = ['lecturer', 'student', 'classroom', 'assistant'] as const;
      for (const v of views) {
        await page(v).setViewportSize(size);
        await language(page(v), lang);
      }
      const lecturer = page('lecturer');
      for (const name of lang === 'en' ? ['Chat', 'Poll', 'Attendance'] : ['聊天', '投票', '考勤']) {
        await tab(lecturer, new RegExp(name)).click();
        await expectNothingClipped(lecturer, `lecturer ${name} tab (${lang})`);
        await screenshot(lecturer, `panels-lecturer-${name === '聊天' ? 'chat' : name === '投票' ? 'poll' : name === '考勤' ? 'attendance' : name.toLowerCase()}-${lang}-${size.width}`);
      }
      for (const v of ['student', 'classroom', 'assistant'] as const) {
        for (const t of await page(v).getByRole('tab').all()) {
          await t.click();
          await expectNothingClipped(page(v), `${v} tab ${await t.textContent()} (${lang})`);
        }
        await screenshot(page(v), `panels-${v}-${lang}-${size.width}`);
      }
    });
  }
});
