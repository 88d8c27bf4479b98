// Accessibility: spoken prompts in the screen's language (speechSynthesis, voice chosen by lang), a
// high-contrast mode and a large-text mode. Settings live in sessionStorage (this session only) and are
// applied as classes on <html>. Where speechSynthesis or voices are missing (headless Chromium), speaking
// degrades to nothing: it never throws.

export interface A11ySettings {
  speech: boolean;
  contrast: boolean;
  large: boolean;
}

const KEY = 'eid-kiosk.a11y';

export function loadSettings(): A11ySettings {
  const d: A11ySettings = { speech: false, contrast: false, large: false };
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return d;
    const v = JSON.parse(raw) as Partial<Record<keyof A11ySettings, unknown>>;
    return { speech: v.speech === true, contrast: v.contrast === true, large: v.large === true };
  } catch {
    return d;
  }
}

export function saveSettings(s: A11ySettings): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage unavailable: the setting lasts until the page reloads
  }
}

export function applySettings(s: A11ySettings, root: HTMLElement = document.documentElement): void {
  root.classList.toggle('high-contrast', s.contrast);
  root.classList.toggle('large-text', s.large);
}

/** True when this browser can speak at all (the API exists). Voices may still be missing. */
export function canSpeak(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
}

/** The best voice for a BCP 47 tag: exact, then same language and script/region family, else none. */
export function pickVoice(
  voices: readonly SpeechSynthesisVoice[],
  lang: string,
): SpeechSynthesisVoice | null {
  const want = lang.toLowerCase();
  const exact = voices.find((v) => v.lang.toLowerCase() === want);
  if (exact) return exact;
  // zh-Hans ≈ zh-CN, zh-Hant ≈ zh-TW / zh-HK
  const alias: Record<string, readonly string[]> = {
    'zh-hans': ['zh-cn', 'zh-sg', 'cmn-hans-cn'],
    'zh-hant': ['zh-tw', 'zh-hk', 'cmn-hant-tw'],
  };
  for (const a of alias[want] ?? []) {
    const v = voices.find((x) => x.lang.toLowerCase().replace('_', '-') === a);
    if (v) return v;
  }
  const base = want.split('-')[0] ?? want;
  return voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base) ?? null;
}

let lastSpoken = '';

/**
 * Speaks a prompt (cancelling the one before). Returns whether an utterance was handed to the browser.
 * Same text and language twice in a row is spoken once (re-renders do not repeat themselves).
 */
export function speak(text: string, lang: string): boolean {
  if (!canSpeak() || text.trim() === '') return false;
  const key = `${lang}|${text}`;
  if (key === lastSpoken) return false;
  lastSpoken = key;
  try {
    const synth = window.speechSynthesis;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang;
    let voices: SpeechSynthesisVoice[] = [];
    try {
      voices = synth.getVoices();
    } catch {
      voices = [];
    }
    const v = pickVoice(voices, lang);
    if (v) u.voice = v;
    synth.cancel();
    synth.speak(u);
    return true;
  } catch {
    return false;
  }
}

/** Forget the last prompt (so turning speech on speaks the current screen again). */
export function resetSpoken(): void {
  lastSpoken = '';
}
