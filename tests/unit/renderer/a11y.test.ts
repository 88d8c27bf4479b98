// Voice choice for spoken prompts, and speaking where the browser has no speechSynthesis (Node: no window).
import { describe, expect, it } from 'vitest';
import { canSpeak, pickVoice, speak } from '../../../kiosk/renderer/a11y.ts';

const v = (lang: string, name = lang) => ({ lang, name }) as unknown as SpeechSynthesisVoice;

describe('spoken prompts', () => {
  const voices = [v('en-US'), v('es-ES'), v('zh-CN'), v('zh-TW'), v('zh_HK', 'hk')];
  it('picks a voice by language, mapping the Chinese scripts to regions', () => {
    expect(pickVoice(voices, 'en')?.lang).toBe('en-US');
    expect(pickVoice(voices, 'es')?.lang).toBe('es-ES');
    expect(pickVoice(voices, 'zh-Hans')?.lang).toBe('zh-CN');
    expect(pickVoice(voices, 'zh-Hant')?.lang).toBe('zh-TW');
    expect(pickVoice([v('zh_HK', 'hk'), v('zh-CN')], 'zh-Hant')?.name).toBe('hk');
    expect(pickVoice([v('fr-FR')], 'es')).toBeNull();
    expect(pickVoice([], 'en')).toBeNull();
  });
  it('degrades to nothing without speechSynthesis', () => {
    expect(canSpeak()).toBe(false);
    expect(speak('hello', 'en')).toBe(false);
  });
});
