// The consent notice (what is read, why, how long it is kept) in zh-Hans, zh-Hant, en and es. The venue's
// own text in config (venue.consent.<lang>) wins; otherwise this built-in text is composed from the profile
// and its retention rules, so the notice cannot drift from what the kiosk actually keeps. Pure.
import type { ConsentLanguage, ConsentNotice, VenueConfig, VenueProfileName } from './types.ts';

export const CONSENT_LANGUAGES: readonly ConsentLanguage[] = ['zh-Hans', 'zh-Hant', 'en', 'es'];

type Texts = Record<ConsentLanguage, string>;

const READ: Texts = {
  'zh-Hans':
    '本机读取您的证件信息（姓名、证件类型与号码、出生日期、证件照片），并拍摄现场人脸与证件照片进行一次性比对。',
  'zh-Hant':
    '本機讀取您的證件資料（姓名、證件類型與號碼、出生日期、證件照片），並拍攝現場人臉與證件照片進行一次性比對。',
  en: 'This kiosk reads your document (name, document type and number, date of birth, photo) and compares a live picture of your face with the document photo once.',
  es: 'Este quiosco lee su documento (nombre, tipo y número de documento, fecha de nacimiento, foto) y compara una vez una imagen en vivo de su rostro con la foto del documento.',
};

const WHY: Record<VenueProfileName, Texts> = {
  none: {
    'zh-Hans': '目的：核验您的身份。',
    'zh-Hant': '目的：核驗您的身分。',
    en: 'Purpose: to verify your identity.',
    es: 'Finalidad: verificar su identidad.',
  },
  'internet-cafe': {
    'zh-Hans': '目的：上网实名登记，核验您已年满法定年龄，并确保每人同时只有一个上网会话。',
    'zh-Hant': '目的：上網實名登記，核驗您已達法定年齡，並確保每人同時只有一個上網工作階段。',
    en: 'Purpose: real-name registration for internet access, checking that you are of legal age and that each person has only one session at a time.',
    es: 'Finalidad: registro con nombre real para el acceso a Internet, comprobar que tiene la edad legal y que cada persona tiene una sola sesión a la vez.',
  },
  'stadium-gate': {
    'zh-Hans': '目的：核对实名门票并控制入场（含禁入名单核查）。',
    'zh-Hant': '目的：核對實名門票並控制入場（含禁入名單核查）。',
    en: 'Purpose: to match your real-name ticket and control entry (including the venue ban list).',
    es: 'Finalidad: comprobar su entrada nominativa y controlar el acceso (incluida la lista de prohibiciones del recinto).',
  },
  'hotel-front-desk': {
    'zh-Hans': '目的：办理入住登记，并依法向主管部门报送住宿登记信息。',
    'zh-Hant': '目的：辦理入住登記，並依法向主管機關報送住宿登記資料。',
    en: 'Purpose: guest registration at check-in, and the guest report the hotel must file with the authorities.',
    es: 'Finalidad: registro de huéspedes al llegar y el parte de viajeros que el hotel debe presentar a las autoridades.',
  },
};

const FACE: Texts = {
  'zh-Hans': '人脸图像与特征仅在本次核验中于内存使用，随即清除，不作存储。',
  'zh-Hant': '人臉影像與特徵僅在本次核驗中於記憶體使用，隨即清除，不予儲存。',
  en: 'Face images and features are used in memory for this check only and then erased; nothing biometric is stored.',
  es: 'Las imágenes y rasgos faciales se usan en memoria solo para esta verificación y después se borran; no se guarda ningún dato biométrico.',
};

const RECORD_NAMES: Record<string, Texts> = {
  decisions: {
    'zh-Hans': '核验结果（遮蔽后）',
    'zh-Hant': '核驗結果（遮蔽後）',
    en: 'check results (masked)',
    es: 'resultados (enmascarados)',
  },
  sessions: {
    'zh-Hans': '上网会话记录（化名）',
    'zh-Hant': '上網工作階段紀錄（化名）',
    en: 'session records (pseudonymised)',
    es: 'registros de sesión (seudonimizados)',
  },
  entries: {
    'zh-Hans': '入场记录（化名）',
    'zh-Hant': '入場紀錄（化名）',
    en: 'entry records (pseudonymised)',
    es: 'registros de acceso (seudonimizados)',
  },
  tickets: {
    'zh-Hans': '门票（化名）',
    'zh-Hant': '門票（化名）',
    en: 'tickets (pseudonymised)',
    es: 'entradas (seudonimizadas)',
  },
  bans: {
    'zh-Hans': '禁入名单（化名）',
    'zh-Hant': '禁入名單（化名）',
    en: 'ban list (pseudonymised)',
    es: 'lista de prohibiciones (seudonimizada)',
  },
  bookings: {
    'zh-Hans': '预订与入住人数',
    'zh-Hant': '預訂與入住人數',
    en: 'bookings and guest counts',
    es: 'reservas y número de huéspedes',
  },
  'guest-records@backend': {
    'zh-Hans': '住宿登记信息',
    'zh-Hant': '住宿登記資料',
    en: 'guest records',
    es: 'registros de huéspedes',
  },
  'guest-records': {
    'zh-Hans': '住宿登记信息（加密）',
    'zh-Hant': '住宿登記資料（加密）',
    en: 'guest records (encrypted)',
    es: 'registros de huéspedes (cifrados)',
  },
};

const WHERE: Record<'kiosk' | 'backend', Texts> = {
  kiosk: { 'zh-Hans': '本机', 'zh-Hant': '本機', en: 'on this kiosk', es: 'en este quiosco' },
  backend: {
    'zh-Hans': '场所服务器',
    'zh-Hant': '場所伺服器',
    en: "on the venue's server",
    es: 'en el servidor del local',
  },
};

function days(n: number, lang: ConsentLanguage): string {
  if (n === 0)
    return {
      'zh-Hans': '用后即删',
      'zh-Hant': '用後即刪',
      en: 'deleted once no longer needed',
      es: 'se borra cuando deja de ser necesario',
    }[lang];
  return {
    'zh-Hans': `${n}天`,
    'zh-Hant': `${n}天`,
    en: `${n} day${n === 1 ? '' : 's'}`,
    es: `${n} día${n === 1 ? '' : 's'}`,
  }[lang];
}

const KEPT: Texts = { 'zh-Hans': '保存期限：', 'zh-Hant': '保存期限：', en: 'Kept: ', es: 'Conservación: ' };
const SEP: Texts = { 'zh-Hans': '；', 'zh-Hant': '；', en: '; ', es: '; ' };

/** The built-in notice for a profile and its retention rules. */
export function builtinNotice(config: VenueConfig, lang: ConsentLanguage): string {
  const kept = config.retention
    .map((r) => {
      const name = (RECORD_NAMES[`${r.record}@${r.where}`] ?? RECORD_NAMES[r.record])?.[lang] ?? r.record;
      return lang.startsWith('zh')
        ? `${WHERE[r.where][lang]}：${name}，${days(r.days, lang)}`
        : `${name} ${WHERE[r.where][lang]}: ${days(r.days, lang)}`;
    })
    .join(SEP[lang]);
  const end = lang.startsWith('zh') ? '。' : '.';
  return [READ[lang], WHY[config.profile][lang], FACE[lang], kept ? KEPT[lang] + kept + end : '']
    .filter((s) => s !== '')
    .join(lang.startsWith('zh') ? '' : ' ');
}

export function consentNotice(config: VenueConfig, lang: ConsentLanguage): ConsentNotice {
  const own = config.consent[lang].trim();
  return { language: lang, text: own !== '' ? own : builtinNotice(config, lang) };
}
