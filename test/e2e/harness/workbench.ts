// Playwright helpers over code-server's workbench (VS Code's workbench in the browser). Every wait is on a selector,
// a file or the bridge, with a timeout; every step can leave a screenshot in test-results/screenshots/.
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { RunRequest, RunResult } from '../../runner-extension/src/protocol';
import type { CodeServerSession, RunnerClient, UriComponents } from './code-server';
import { options, screenshotsRoot } from './config';
import { poll, slug } from './util';

export interface ProblemEntry {
  /** File name as the Problems panel shows it (the row above the markers of that file). */
  file: string;
  /** The file's folder relative to the workspace, as shown next to the name ('' at the root). */
  folder: string;
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  source?: string;
  code?: string;
  /** 1-based, as shown. */
  line?: number;
  column?: number;
  /** The row's accessible label, for assertions on anything else. */
  ariaLabel: string;
}

export interface TreeItem {
  label: string;
  description?: string;
  /** 1-based depth. */
  level: number;
  expanded?: boolean;
  ariaLabel: string;
}

export interface NotificationEntry {
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  source?: string;
  buttons: string[];
}

export interface DialogAnswer {
  message: string;
  detail: string;
  buttons: string[];
}

const SEVERITY_CLASSES: [NotificationEntry['severity'], RegExp][] = [
  ['error', /codicon-error/],
  ['warning', /codicon-warning/],
  ['info', /codicon-info/],
];

function severityFrom(className: string | null): NotificationEntry['severity'] {
  return SEVERITY_CLASSES.find(([, pattern]) => pattern.test(className ?? ''))?.[0] ?? 'unknown';
}

/**
 * Runs in the page before its scripts: when the parser adds the workbench's configuration element, adds `development`
 * to its developmentOptions (see CodeServerSession.underTestDevelopmentOptions), so this window runs rhcos-layering
 * under test. The page stays the one code-server served (a rewritten response would lose its local address, and
 * Chromium would then block the workbench's connections to 127.0.0.1).
 */
function addDevelopmentOptions(development: { extensions: UriComponents[]; extensionTestsPath: UriComponents }): string {
  // Page code, as text: this project compiles without the DOM types.
  return `new MutationObserver((records, observer) => {
    const meta = document.getElementById('vscode-workbench-web-configuration');
    const settings = meta && meta.getAttribute('data-settings');
    if (!settings) return;
    observer.disconnect();
    const configuration = JSON.parse(settings);
    configuration.developmentOptions = { ...configuration.developmentOptions, ...${JSON.stringify(development)} };
    meta.setAttribute('data-settings', JSON.stringify(configuration));
  }).observe(document, { childList: true, subtree: true });`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  /** Folder of this test's step screenshots; set by useWorkbench() before each test. */
  private stepDir: string;
  private step = 0;
  private runnerClient: RunnerClient | undefined;

  private constructor(
    readonly session: CodeServerSession,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    this.stepDir = path.join(screenshotsRoot, session.name, 'setup');
  }

  /** Opens the session's workspace in a new browser context and waits for the workbench and the extension host. */
  static async open(session: CodeServerSession, browser: Browser): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(options.timeoutMs);
    const page = await context.newPage();
    mkdirSync(path.dirname(session.browserConsoleLog), { recursive: true });
    page.on('console', (message) => appendFileSync(session.browserConsoleLog, `[${new Date().toISOString()}] ${message.type()}: ${message.text()}\n`));
    page.on('requestfailed', (failed) => appendFileSync(session.browserConsoleLog, `[${new Date().toISOString()}] requestfailed: ${failed.url().slice(0, 200)} ${failed.failure()?.errorText ?? ''}\n`));
    page.on('pageerror', (error) => appendFileSync(session.browserConsoleLog, `[${new Date().toISOString()}] pageerror: ${error.stack ?? error.message}\n`));

    rmSync(session.readyFile, { force: true });
    const development = session.underTestDevelopmentOptions();
    if (development) await page.addInitScript({ content: addDevelopmentOptions(development) });
    let phase = Date.now();
    await page.goto(session.workspaceUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('[id="workbench.parts.statusbar"]').waitFor();
    session.timings['load workbench'] = Date.now() - phase;
    phase = Date.now();
    const workbench = new Workbench(session, context, page);
    // Under test, VS Code shows no trust prompt (the session turns it off): the workspace stays in Restricted Mode.
    if (session.info.trust === 'enabled' && !session.underTest) {
      const answer = session.options.trustAnswer === 'trust' ? /^Yes, I trust/ : /^No, I don.t trust/;
      await workbench.confirmDialog(answer, { timeoutMs: 60_000 });
    }
    workbench.runnerClient = await session.runner(90_000);
    session.timings['extension host ready'] = Date.now() - phase;
    await workbench.screenshot('workbench-ready');
    return workbench;
  }

  /**
   * A Workbench over a page the harness did not start (e.g. the demo's code-server, which has no runner extension).
   * Only the helpers that drive the page work (palette, quick input, editors, dialogs, notifications, CodeLens);
   * those that go through the bridge (executeCommand, problems(), treeItems(), hover() ...) throw.
   */
  static attach(context: BrowserContext, page: Page, name: string): Workbench {
    const detached = { name, readyFile: '', info: { name } } as unknown as CodeServerSession;
    return new Workbench(detached, context, page);
  }

  /** The bridge to the runner extension in the extension host. */
  get runner(): RunnerClient {
    if (!this.runnerClient) throw new Error('No bridge to the extension host here (the runner extension has not announced itself, or this Workbench was attached to a page without one)');
    return this.runnerClient;
  }

  /** Called by useWorkbench() before each test: screenshots go to screenshots/<session>/<test>/. */
  beginTest(title: string): void {
    this.stepDir = path.join(screenshotsRoot, this.session.name, slug(title));
    this.step = 0;
  }

  /**
   * Saves a screenshot as <NN>-<name>.png in this test's folder and returns its path. With `clip`, only the box
   * around those elements (plus `padding` px) is saved: for README pictures (scripts/update-screenshots.mjs copies the
   * ones named `readme-*`).
   */
  async screenshot(name: string, options_: { clip?: Locator[]; padding?: number } = {}): Promise<string> {
    mkdirSync(this.stepDir, { recursive: true });
    const file = path.join(this.stepDir, `${String(++this.step).padStart(2, '0')}-${slug(name, 60)}.png`);
    let clip: { x: number; y: number; width: number; height: number } | undefined;
    if (options_.clip?.length) {
      const boxes = (await Promise.all(options_.clip.map((locator) => locator.first().boundingBox()))).filter((box): box is NonNullable<typeof box> => box !== null);
      if (boxes.length) {
        const pad = options_.padding ?? 0;
        const viewport = this.page.viewportSize() ?? { width: 1400, height: 900 };
        const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
        const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
        const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
        const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
        clip = { x, y, width: right - x, height: bottom - y };
      }
    }
    await this.page.screenshot({ path: file, ...(clip ? { clip } : {}) });
    return file;
  }

  /**
   * Resizes the browser window (e.g. smaller, for compact README pictures) and waits until the workbench has laid
   * itself out for the new size (the status bar sits at the bottom edge again).
   */
  async setViewport(width: number, height: number): Promise<void> {
    await this.page.setViewportSize({ width, height });
    const statusbar = this.page.locator('[id="workbench.parts.statusbar"]');
    await poll(() => statusbar.boundingBox(), (box) => !!box && Math.abs(box.y + box.height - height) < 1 && Math.abs(box.width - width) < 1, {
      timeoutMs: options.timeoutMs,
      message: `the workbench to lay out for ${width}x${height}`,
    });
  }

  /** Drags the sash between the primary side bar and the editor until the side bar is `width` px wide (roughly). */
  async setSidebarWidth(width: number): Promise<void> {
    const sidebar = this.page.locator('[id="workbench.parts.sidebar"]');
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('The primary side bar is not visible');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
    await poll(() => sidebar.boundingBox(), (now) => !!now && Math.abs(now.width - width) < 40, { timeoutMs: options.timeoutMs, message: `the side bar to be ${width} px wide` });
  }

  private async stepDone(name: string): Promise<void> {
    if (options.stepScreenshots) await this.screenshot(name);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Running things

  /** vscode.commands.executeCommand in the extension host, through the runner's bridge (no UI typing). */
  async executeCommand<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
    return this.runner.executeCommand<T>(command, args);
  }

  /**
   * Waits until an extension is active in the extension host (polls the bridge: activation has no event the page
   * can see). Default: rhcos-layering.
   */
  async waitForExtensionActive(extensionId = 'rhcos-layering-dev.rhcos-layering', timeoutMs = options.timeoutMs): Promise<void> {
    await poll(() => this.runner.state(), (state) => state.extensions[extensionId]?.isActive === true, {
      timeoutMs,
      message: `${extensionId} to activate (see the extension host log)`,
    });
  }

  /** Runs a command through the bridge until its result satisfies `accept` (for state a command reports). */
  async waitForCommandResult<T>(command: string, args: unknown[], accept: (result: T) => boolean, timeoutMs = options.timeoutMs): Promise<T> {
    return poll(() => this.runner.executeCommand<T>(command, args), accept, { timeoutMs, message: `${command} to report the expected result` });
  }

  /** Runs in-editor suites (test/integration) in this window's extension host. */
  async runInEditorSuites(request: RunRequest = {}): Promise<RunResult> {
    return this.runner.run(request);
  }

  /**
   * Reloads the window (a new extension host starts) and waits for the workbench and the new runner; the bridge
   * then talks to the new extension host. The trust prompt does not come back (startupPrompt "once").
   */
  async reloadWindow(): Promise<void> {
    rmSync(this.session.readyFile, { force: true });
    await this.page.reload();
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    this.runnerClient = await this.session.runner(90_000);
    await this.stepDone('reloaded');
  }

  /** Brings the workbench back to a plain state: no quick input, dialogs' Escape, editors, panel or notifications. */
  async reset(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.executeCommand('workbench.action.closeAllEditors');
    await this.executeCommand('workbench.action.closePanel');
    await this.executeCommand('notifications.clearAll');
    await this.executeCommand('workbench.view.explorer');
  }

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for the quick input to close (it does once a pick or the command palette has run). */
  private async quickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command from the command palette (F1) by its label as the palette shows it, e.g.
   * "RHCOS Layering: Generate MachineConfig". Fails listing what the palette offered when no row matches exactly.
   */
  async runCommand(label: string, options_: { keepOpen?: boolean } = {}): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input.input');
    await input.waitFor();
    await input.fill(`>${label}`);
    try {
      await this.selectQuickItem(label);
    } catch (error) {
      const offered = await this.quickInput.locator('.monaco-list-row .label-name').allTextContents();
      await this.page.keyboard.press('Escape');
      throw new Error(`The command palette has no command "${label}" (${(error as Error).message.split('\n')[0]}); it offered: ${offered.slice(0, 15).join(' | ') || '(nothing)'}`);
    }
    if (!options_.keepOpen) await this.quickInputClosed();
    await this.stepDone(`command ${label}`);
  }

  /**
   * Moves the quick input's focus with the keyboard to the row whose label (and description, when given) is exactly
   * the text, and presses Enter. Keyboard rather than click: the list re-renders while results arrive.
   */
  private async selectQuickItem(label: string, description?: string): Promise<void> {
    const exact = (text: string) => new RegExp(`^${escapeRegExp(text)}$`);
    let row = this.quickInput.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) });
    if (description !== undefined) row = row.filter({ has: this.page.locator('.label-description', { hasText: exact(description) }) });
    await row.first().waitFor({ timeout: 10_000 });
    const focused = row.and(this.quickInput.locator('.monaco-list-row.focused'));
    for (let presses = 0; presses < 50; presses++) {
      if (await focused.count()) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move the focus to "${label}"`);
  }

  /** Rows of the open quick pick (labels as shown). */
  async quickPickItems(): Promise<string[]> {
    await this.quickInput.locator('.monaco-list-row').first().waitFor();
    return this.quickInput.locator('.monaco-list-row .label-name').allTextContents();
  }

  /** Chooses a row of the open quick pick by its exact label. */
  async pickQuickItem(label: string): Promise<void> {
    await this.selectQuickItem(label);
    await this.quickInputClosed();
  }

  /** The title of the open quick input (e.g. "Generate MachineConfig: pools"), once it shows one. */
  async quickInputTitle(expected?: string | RegExp): Promise<string> {
    const title = this.quickInput.locator('.quick-input-title');
    if (expected) await title.filter({ hasText: typeof expected === 'string' ? new RegExp(`^${escapeRegExp(expected)}$`) : expected }).waitFor();
    else await title.waitFor();
    return ((await title.textContent()) ?? '').trim();
  }

  /**
   * In an open multi-select quick pick: the rows as { label, picked }, after setting each row named in `want` to
   * the given state by clicking its checkbox. Does not accept the pick (see acceptQuickInput).
   */
  async setQuickPicks(want: Record<string, boolean> = {}): Promise<{ label: string; picked: boolean }[]> {
    const rows = this.quickInput.locator('.monaco-list-row');
    await rows.first().waitFor();
    const state = async () => {
      const out: { label: string; picked: boolean }[] = [];
      for (const row of await rows.all()) {
        const label = ((await row.locator('.label-name').first().textContent()) ?? '').trim();
        const checkbox = row.locator('.monaco-checkbox, input[type=checkbox]').first();
        const checked = (await checkbox.getAttribute('aria-checked')) ?? String(await checkbox.isChecked().catch(() => false));
        out.push({ label, picked: checked === 'true' });
      }
      return out;
    };
    for (const [label, picked] of Object.entries(want)) {
      const current = (await state()).find((row) => row.label === label);
      if (!current) throw new Error(`The quick pick has no row "${label}"; it has: ${(await state()).map((row) => row.label).join(' | ')}`);
      if (current.picked === picked) continue;
      const row = rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) }).first();
      await row.locator('.monaco-checkbox, input[type=checkbox]').first().click();
      await poll(state, (rows_) => rows_.find((entry) => entry.label === label)?.picked === picked, { timeoutMs: options.timeoutMs, message: `the checkbox of "${label}" to be ${picked ? 'checked' : 'unchecked'}` });
    }
    const result = await state();
    await this.stepDone('quick pick');
    return result;
  }

  /** Accepts the open quick input (the OK button of a multi-select pick, or Enter in an input box). */
  async acceptQuickInput(): Promise<void> {
    await this.quickInput.locator('input.input').press('Enter');
  }

  /**
   * Answers an open input box: waits for it (with `title` when given), replaces its value with `value` (keeps the
   * proposed one when undefined), presses Enter and waits for it to go away or move on to the next prompt.
   * Returns what the box showed: { title, prompt, value } (value: the proposed value).
   */
  async answerInputBox(value: string | undefined, title?: string | RegExp): Promise<{ title: string; prompt: string; value: string }> {
    const shownTitle = await this.quickInputTitle(title);
    const input = this.quickInput.locator('input.input');
    await input.waitFor();
    const proposed = await input.inputValue();
    const prompt = ((await this.quickInput.locator('.quick-input-message').first().textContent().catch(() => '')) ?? '').trim();
    if (value !== undefined) await input.fill(value);
    await this.stepDone(`input ${shownTitle}`);
    await input.press('Enter');
    await this.page.waitForFunction(
      ({ before }) => {
        const page = globalThis as unknown as { document: { querySelector(query: string): { textContent: string | null; checkVisibility?: () => boolean } | null } };
        const widget = page.document.querySelector('.quick-input-widget');
        const visible = widget?.checkVisibility ? widget.checkVisibility() : !!widget;
        return !visible || (page.document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '').trim() !== before;
      },
      { before: shownTitle },
    );
    return { title: shownTitle, prompt, value: proposed };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Editors

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor is active. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.posix.basename(relativePath);
    const dir = path.posix.dirname(relativePath);
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input.input');
    await input.waitFor();
    await input.fill(relativePath);
    await this.selectQuickItem(name, dir === '.' ? undefined : dir);
    await this.quickInputClosed();
    await this.activeTab(name).waitFor();
    await this.page.locator('.editor-instance .monaco-editor.focused').waitFor();
    await this.stepDone(`open ${relativePath}`);
  }

  /** The tab of the active editor in the active group, optionally with a given file name. */
  activeTab(name?: string): Locator {
    return this.page.locator(`.editor-group-container.active .tab.active${name ? `[aria-label=${JSON.stringify(name)}]` : ''}`);
  }

  /**
   * The text the active editor shows: its rendered lines top to bottom (Monaco reuses line elements, so DOM order is
   * not line order), no-break spaces as spaces. Only the lines scrolled into view.
   */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor();
    return lines.evaluate((element) => {
      // Runs in the page (this project's tsconfig has no DOM types).
      type Line = { textContent: string | null; style: { top: string } };
      const rendered = (element as unknown as { querySelectorAll(query: string): Iterable<Line> }).querySelectorAll(':scope > .view-line');
      return [...rendered]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n');
    });
  }

  /** Waits until the active editor group's active tab is the file `name` (e.g. after a command opened it). */
  async waitForActiveEditor(name: string, timeoutMs = options.timeoutMs): Promise<void> {
    // The tab's text is the name, then decorations (problem counts, dirty marker).
    await this.page.locator('.editor-group-container.active .tab.active', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}(?![\\w.-])`) }).waitFor({ timeout: timeoutMs });
  }

  /** Waits until the active editor shows text matching `expected` and returns the text it shows. */
  async waitForEditorText(expected: string | RegExp, timeoutMs = options.timeoutMs): Promise<string> {
    await this.waitForText('.editor-group-container.active .editor-instance .monaco-editor .view-lines', expected, timeoutMs);
    return this.editorText();
  }

  /** Clicks a CodeLens of the active editor by its text (e.g. "Apply os-layer-infra to cluster"). */
  async clickCodeLens(text: string | RegExp): Promise<void> {
    const lens = this.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: text }).first();
    await lens.waitFor();
    await this.stepDone(`code lens ${String(text)}`);
    await lens.click();
  }

  /**
   * Opens the Quick Fix menu (Ctrl+.) at a 1-based position of the active editor and returns the titles it lists.
   * With `choose`, clicks that entry (exact title or pattern) and waits for the menu to close.
   */
  async quickFixMenu(line: number, column: number, choose?: string | RegExp): Promise<string[]> {
    await this.goToPosition(line, column);
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    const rows = widget.locator('.monaco-list-row.action');
    await rows.first().waitFor();
    const titles = (await rows.locator('.title').allTextContents()).map((title) => title.trim());
    await this.stepDone(`quick fix menu ${line}:${column}`);
    if (choose === undefined) return titles;
    const matcher = typeof choose === 'string' ? new RegExp(`^${escapeRegExp(choose)}$`) : choose;
    const target = rows.filter({ has: this.page.locator('.title', { hasText: matcher }) }).first();
    if (!(await target.count())) {
      await this.page.keyboard.press('Escape');
      throw new Error(`The Quick Fix menu has no entry ${String(choose)}; it lists: ${titles.join(' | ')}`);
    }
    await target.hover();
    await target.click();
    await widget.waitFor({ state: 'hidden' });
    return titles;
  }

  /**
   * Reveals a workspace file in the Explorer, right-clicks it and chooses `item` from the context menu (its label as
   * shown, e.g. "Generate MachineConfig"), or closes the menu again without `item`. Returns the menu's labels.
   */
  async explorerContextMenu(relativePath: string, item?: string): Promise<string[]> {
    await this.executeCommand('revealInExplorer', { $uri: relativePath });
    const name = path.posix.basename(relativePath);
    const row = this.page.locator('.explorer-folders-view .monaco-list-row.selected').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) }).first();
    await row.waitFor();
    await row.click({ button: 'right' });
    return this.chooseContextMenuItem(relativePath, item);
  }

  /** In an open context menu: its labels; clicks `item` (or closes the menu without one). */
  private async chooseContextMenuItem(what: string, item: string | undefined): Promise<string[]> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const entries = menu.locator('.action-item:not(.disabled) .action-label');
    await entries.first().waitFor();
    const labels = (await entries.allTextContents()).map((label) => label.trim()).filter(Boolean);
    await this.stepDone(`context menu ${what}`);
    if (item === undefined) {
      await this.page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
      return labels;
    }
    const target = entries.filter({ hasText: new RegExp(`^${escapeRegExp(item)}$`) }).first();
    if (!(await target.count())) {
      await this.page.keyboard.press('Escape');
      throw new Error(`The context menu of ${what} has no "${item}"; it has: ${labels.join(' | ')}`);
    }
    await target.click();
    await menu.waitFor({ state: 'hidden' });
    return labels;
  }

  /** The language mode in the status bar for the active editor, e.g. "Dockerfile". */
  async editorLanguage(): Promise<string> {
    const item = this.page.locator('[id="status.editor.mode"]');
    await item.waitFor();
    return (await item.textContent())?.trim() ?? '';
  }

  /** A status bar entry by its id (e.g. "status.editor.mode", "status.workspaceTrust"). */
  statusBarItem(id: string): Locator {
    return this.page.locator(`[id="workbench.parts.statusbar"] [id="${id}"]`);
  }

  /** Moves the cursor of the active editor to a 1-based line and column with Go to Line (Ctrl+G). */
  async goToPosition(line: number, column: number): Promise<void> {
    await this.executeCommand('workbench.action.focusActiveEditorGroup');
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput.locator('input.input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInputClosed();
    await this.page.locator(`[id="status.editor.selection"]`, { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /**
   * Shows the hover at a 1-based position of the active editor (keyboard: Go to Line, then Show Hover) and returns its
   * text, once it contains `expect` (when given). `keepOpen` leaves it showing (for a screenshot; `hoverWidget` is its
   * locator); Escape closes it.
   */
  async hover(line: number, column: number, options_: { keepOpen?: boolean; expect?: string | RegExp } = {}): Promise<string> {
    await this.goToPosition(line, column);
    await this.executeCommand('editor.action.showHover');
    // The hover renders what is ready first (e.g. the diagnostics at the position) and adds slower providers'
    // parts as they answer: `expect` waits for the part a test is about.
    const hover = options_.expect ? this.hoverWidget.filter({ hasText: options_.expect }) : this.hoverWidget;
    await hover.waitFor({ state: 'visible' });
    const text = ((await hover.innerText()) ?? '').trim();
    await this.stepDone(`hover ${line}:${column}`);
    if (!options_.keepOpen) await this.page.keyboard.press('Escape');
    return text;
  }

  /** The visible editor hover. */
  get hoverWidget(): Locator {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').filter({ hasNotText: /^Loading\.\.\.$/ }).first();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Panels and views

  /** Opens the Problems panel and returns its visible entries (waits for at least `minimum` of them). */
  async problems(options_: { minimum?: number } = {}): Promise<ProblemEntry[]> {
    const entries = await this.readProblems(options_);
    await this.stepDone('problems');
    return entries;
  }

  /** Reads the Problems panel until its entries satisfy `accept` (e.g. a finding went away) and returns them. */
  async waitForProblems(accept: (entries: ProblemEntry[]) => boolean, message = 'the Problems panel to change', timeoutMs = options.timeoutMs): Promise<ProblemEntry[]> {
    // A row can go away between listing and reading it (the list re-renders): such a read is retried.
    const entries = await poll(() => this.readProblems().catch(() => undefined), (read) => read !== undefined && accept(read), { timeoutMs, message, intervalMs: 250 });
    await this.stepDone('problems');
    return entries!;
  }

  private async readProblems(options_: { minimum?: number } = {}): Promise<ProblemEntry[]> {
    await this.executeCommand('workbench.actions.view.problems');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor();
    if (options_.minimum) await panel.locator('.monaco-list-row:has(.marker-icon)').nth(options_.minimum - 1).waitFor();
    const entries: ProblemEntry[] = [];
    let file = '';
    let folder = '';
    for (const row of await panel.locator('.monaco-list-row').all()) {
      const text = async (selector: string) => ((await row.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => null)) ?? '').trim();
      if (await row.locator('.marker-icon').count()) {
        const position = /Ln (\d+), Col (\d+)/.exec(await text('.marker-line'));
        const source = await text('.marker-source');
        const code = await text('.marker-code');
        const iconClass = (await row.locator('.marker-icon').first().getAttribute('class', { timeout: 1_000 })) ?? '';
        entries.push({
          file,
          folder,
          severity: /\berror\b/.test(iconClass) ? 'error' : /\bwarning\b/.test(iconClass) ? 'warning' : /\binfo\b/.test(iconClass) ? 'info' : 'unknown',
          message: await text('.marker-message'),
          ...(source ? { source } : {}),
          ...(code ? { code } : {}),
          ...(position ? { line: Number(position[1]), column: Number(position[2]) } : {}),
          ariaLabel: (await row.getAttribute('aria-label', { timeout: 1_000 })) ?? '',
        });
      } else {
        file = await text('.label-name');
        folder = await text('.label-description');
      }
    }
    return entries;
  }

  /**
   * The pane (section) of a view by its name, e.g. "Cluster". Also when the view is alone in its container and
   * VS Code hides the pane header (the sidebar title then reads "RHCOS Layering: Cluster").
   */
  viewPane(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { has: this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') }) }) });
  }

  /**
   * Visible items of a tree view. `viewId` (e.g. "rhcosLayering.cluster") is focused first through "<viewId>.focus";
   * `title` is the view's name as its header shows it.
   */
  async treeItems(viewId: string, title: string, options_: { minimum?: number } = {}): Promise<TreeItem[]> {
    const items = await this.readTreeItems(viewId, title, options_);
    await this.stepDone(`tree ${title}`);
    return items;
  }

  /**
   * Reads a tree view until its visible items satisfy `accept` (a pool turned Updating, a problem appeared) and
   * returns them. A step screenshot is taken once, at the end.
   */
  async waitForTreeItems(viewId: string, title: string, accept: (items: TreeItem[]) => boolean, message: string, timeoutMs = options.timeoutMs): Promise<TreeItem[]> {
    await this.focusTree(viewId, title);
    // Rows re-render while they are read (a watch event arrived): such a read is retried.
    const items = await poll(() => this.readRows(title).catch(() => undefined), (read) => read !== undefined && accept(read), { timeoutMs, message, intervalMs: 250 });
    await this.stepDone(`tree ${title}`);
    return items!;
  }

  /** The row of a tree view item by its label (the first one, top to bottom). */
  treeRow(title: string, label: string): Locator {
    return this.viewPane(title).locator('.pane-body .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) }).first();
  }

  /** Expands a collapsed tree item (clicks its twistie) and waits for it to be expanded. */
  async expandTreeItem(viewId: string, title: string, label: string): Promise<void> {
    await this.focusTree(viewId, title);
    const row = this.treeRow(title, label);
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await poll(() => row.getAttribute('aria-expanded'), (expanded) => expanded === 'true', { timeoutMs: options.timeoutMs, message: `tree item ${label} to expand` });
    }
  }

  /** Right-clicks a tree item and chooses `item` from its context menu; returns the menu's labels. */
  async treeContextMenu(viewId: string, title: string, label: string, item: string): Promise<string[]> {
    await this.focusTree(viewId, title);
    const row = this.treeRow(title, label);
    await row.click({ button: 'right' });
    return this.chooseContextMenuItem(`tree item ${label}`, item);
  }

  private async focusTree(viewId: string, title: string): Promise<void> {
    await this.executeCommand(`${viewId}.focus`);
    const pane = this.viewPane(title);
    await pane.waitFor();
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }

  private async readTreeItems(viewId: string, title: string, options_: { minimum?: number } = {}): Promise<TreeItem[]> {
    await this.focusTree(viewId, title);
    await this.viewPane(title).locator('.pane-body .monaco-list-row').nth((options_.minimum ?? 1) - 1).waitFor();
    return this.readRows(title);
  }

  private async readRows(title: string): Promise<TreeItem[]> {
    const rows = this.viewPane(title).locator('.pane-body .monaco-list-row');
    const items: TreeItem[] = [];
    for (const row of await rows.all()) {
      const expanded = await row.getAttribute('aria-expanded', { timeout: 1_000 });
      const description = ((await row.locator('.label-description').first().textContent({ timeout: 1_000 }).catch(() => null)) ?? '').trim();
      items.push({
        label: ((await row.locator('.label-name').first().textContent({ timeout: 1_000 }).catch(() => null)) ?? '').trim(),
        ...(description ? { description } : {}),
        level: Number((await row.getAttribute('aria-level', { timeout: 1_000 })) ?? '1'),
        ...(expanded === null ? {} : { expanded: expanded === 'true' }),
        ariaLabel: (await row.getAttribute('aria-label', { timeout: 1_000 })) ?? '',
      });
    }
    return items;
  }

  /**
   * The welcome content a view shows instead of items (contributes.viewsWelcome): its text and button labels.
   * `viewId` is focused first; `title` is the view's name.
   */
  async viewWelcome(viewId: string, title: string): Promise<{ text: string; buttons: string[] }> {
    await this.executeCommand(`${viewId}.focus`);
    const welcome = this.viewPane(title).locator('.welcome-view-content');
    await welcome.waitFor();
    const text = (await welcome.locator('p').allTextContents()).map((line) => line.trim()).join('\n');
    const buttons = (await welcome.locator('.monaco-button').allTextContents()).map((label) => label.trim());
    await this.stepDone(`welcome ${title}`);
    return { text, buttons };
  }

  /** Names of the output channels ("Output: Show Output Channels..."). */
  async outputChannels(): Promise<string[]> {
    await this.runCommand('Output: Show Output Channels...', { keepOpen: true });
    const items = await this.quickPickItems();
    await this.page.keyboard.press('Escape');
    await this.quickInputClosed();
    return items;
  }

  /** Shows an output channel in the Output panel and returns the text it shows (waits for `expect` when given). */
  async showOutputChannel(name: string, expect?: string | RegExp): Promise<string> {
    await this.runCommand('Output: Show Output Channels...', { keepOpen: true });
    await this.pickQuickItem(name);
    const selector = '[id="workbench.panel.output"] .monaco-editor .view-lines';
    await this.page.locator(selector).waitFor();
    if (expect) await this.waitForText(selector, expect);
    const text = (await this.page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
    await this.stepDone(`output ${name}`);
    return text;
  }

  /**
   * Waits until the text of the first element matching `selector` contains `expected` (editors render spaces as
   * no-break spaces; they are compared as spaces).
   */
  async waitForText(selector: string, expected: string | RegExp, timeoutMs = options.timeoutMs): Promise<void> {
    const pattern = typeof expected === 'string' ? { source: escapeRegExp(expected), flags: '' } : { source: expected.source, flags: expected.flags };
    await this.page.waitForFunction(
      ({ selector: css, source, flags }) => {
        // Runs in the page (this project's tsconfig has no DOM types).
        const page = globalThis as unknown as { document: { querySelector(query: string): { textContent: string | null } | null } };
        return new RegExp(source, flags).test((page.document.querySelector(css)?.textContent ?? '').replace(/\u00a0/g, ' '));
      },
      { selector, ...pattern },
      { timeout: timeoutMs },
    );
  }

  // ---------------------------------------------------------------------------------------------------------
  // Dialogs and notifications

  /** Waits for a modal dialog, clicks the button whose label matches, and returns what the dialog said. */
  async confirmDialog(button: string | RegExp, options_: { timeoutMs?: number } = {}): Promise<DialogAnswer> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: options_.timeoutMs ?? options.timeoutMs });
    const message = ((await dialog.locator('.dialog-message-text').textContent()) ?? '').trim();
    const detail = ((await dialog.locator('.dialog-message-detail').textContent().catch(() => '')) ?? '').trim();
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allTextContents()).map((text) => text.trim());
    await this.stepDone(`dialog ${message}`);
    const matcher = typeof button === 'string' ? new RegExp(`^${escapeRegExp(button)}$`) : button;
    const target = dialog.locator('.dialog-buttons .monaco-button').filter({ hasText: matcher }).first();
    if (!(await target.count())) throw new Error(`The dialog "${message}" has no button matching ${String(button)}; it has: ${buttons.join(' | ')}`);
    await target.click();
    await dialog.waitFor({ state: 'hidden' });
    return { message, detail, buttons };
  }

  /** The notification toasts now visible. */
  async notifications(): Promise<NotificationEntry[]> {
    const toasts = await this.page.locator('.notifications-toasts .notification-toast-container .monaco-list-row').all();
    const entries: NotificationEntry[] = [];
    // Toasts hide themselves: one listed a moment ago may be gone by the time it is read, and is then skipped.
    const quick = { timeout: 2_000 };
    for (const toast of toasts) {
      const message = await toast.locator('.notification-list-item-message').first().textContent(quick).catch(() => null);
      if (message === null) continue;
      const source = ((await toast.locator('.notification-list-item-source').first().textContent(quick).catch(() => null)) ?? '').trim();
      entries.push({
        severity: severityFrom(await toast.locator('.notification-list-item-icon').first().getAttribute('class', quick).catch(() => null)),
        message: message.trim(),
        ...(source ? { source } : {}),
        buttons: (await toast.locator('.notification-list-item-buttons-container .monaco-button').allTextContents().catch(() => [] as string[])).map((text) => text.trim()),
      });
    }
    return entries;
  }

  /** Waits for a notification toast whose message matches and returns it. */
  async waitForNotification(message: string | RegExp, timeoutMs = options.timeoutMs): Promise<NotificationEntry> {
    const matcher = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
    await this.page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: matcher }).first().waitFor({ timeout: timeoutMs });
    const found = (await this.notifications()).find((entry) => matcher.test(entry.message));
    if (!found) throw new Error(`A notification matching ${String(message)} appeared and went away again`);
    await this.stepDone(`notification ${found.message}`);
    return found;
  }

  /** Clicks a button of the notification toast whose message matches (as a user answers it). */
  async clickNotificationButton(message: string | RegExp, button: string, timeoutMs = options.timeoutMs): Promise<void> {
    const matcher = typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message;
    const toast = this.page.locator('.notifications-toasts .notification-toast-container .monaco-list-row').filter({ has: this.page.locator('.notification-list-item-message', { hasText: matcher }) }).first();
    await toast.waitFor({ timeout: timeoutMs });
    await toast.hover();
    await toast.locator('.notification-list-item-buttons-container .monaco-button').filter({ hasText: new RegExp(`^${escapeRegExp(button)}$`) }).first().click({ timeout: timeoutMs });
    await this.stepDone(`notification button ${button}`);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
