// Demo people: made-up identities with valid check digits, for demo mode and the e2e tests. Nobody real.
import type { IdentityDocument } from '../../core/types.ts';
import type { DemoPerson } from '../../shared/contract.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643-1999 check character for the first 17 digits. */
export function cnIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return '10X98765432'[sum % 11] ?? '?';
}

function cnId(region: string, birth: string, seq: string): string {
  const base = `${region}${birth.replaceAll('-', '')}${seq}`;
  return base + cnIdCheckChar(base);
}

interface DemoEntry {
  readonly person: DemoPerson;
  readonly document: IdentityDocument;
}

const ok = (name: string) => ({ name, ok: true });

function entry(id: string, label: string, doc: Omit<IdentityDocument, 'checks'>): DemoEntry {
  const checks =
    doc.source === 'id-card'
      ? [ok('sam.authenticated'), ok('id-number.check-digit')]
      : [ok('mrz.document-number'), ok('mrz.birth-date'), ok('mrz.expiry'), ok('mrz.composite')];
  return {
    person: { id, label, document: doc.source === 'mrz' ? 'passport' : 'id-card', scanText: `DEMO-ID:${id}` },
    document: { ...doc, checks },
  };
}

export const DEMO_PEOPLE: readonly DemoEntry[] = [
  entry('zhang', '张伟 · adult · ID card', {
    source: 'id-card',
    documentType: 'cn-resident-id',
    documentNumber: cnId('110105', '1990-03-07', '031'),
    name: '张伟',
    sex: 'M',
    birthDate: '1990-03-07',
    nationality: 'CHN',
    issuer: '北京市公安局朝阳分局',
    validFrom: '2020-05-01',
    validTo: '2040-05-01',
  }),
  entry('chen', '陈静怡 · 15 years old · ID card', {
    source: 'id-card',
    documentType: 'cn-resident-id',
    documentNumber: cnId('440305', '2011-08-19', '062'),
    name: '陈静怡',
    sex: 'F',
    birthDate: '2011-08-19',
    nationality: 'CHN',
    issuer: '深圳市公安局南山分局',
    validFrom: '2023-09-01',
    validTo: '2028-09-01',
  }),
  entry('wang', '王芳 · expired ID card', {
    source: 'id-card',
    documentType: 'cn-resident-id',
    documentNumber: cnId('310104', '1985-11-30', '024'),
    name: '王芳',
    sex: 'F',
    birthDate: '1985-11-30',
    nationality: 'CHN',
    issuer: '上海市公安局徐汇分局',
    validFrom: '2005-01-10',
    validTo: '2025-01-10',
  }),
  entry('garcia', 'María García · passport', {
    source: 'mrz',
    documentType: 'passport',
    documentNumber: 'PAE123456',
    name: 'GARCIA LOPEZ MARIA',
    nameLatin: 'GARCIA LOPEZ MARIA',
    sex: 'F',
    birthDate: '1992-04-15',
    nationality: 'ESP',
    issuer: 'ESP',
    validTo: '2031-06-30',
  }),
];

export function demoDocument(id: string, source?: IdentityDocument['source']): IdentityDocument | undefined {
  const e = DEMO_PEOPLE.find((p) => p.person.id === id);
  if (!e) return undefined;
  if (source === 'wallet') {
    const { portrait: _p, ...rest } = e.document;
    return {
      ...rest,
      source: 'wallet',
      documentType: 'wallet-pid',
      checks: [ok('sd-jwt.issuer-signature'), ok('sd-jwt.holder-binding'), ok('status-list')],
      trustAnchor: 'demo-issuer',
    };
  }
  if (source === 'identity-qr') {
    return {
      ...e.document,
      source: 'identity-qr',
      documentType: 'identity-qr',
      checks: [ok('cose.signature'), ok('freshness'), ok('single-use')],
      trustAnchor: 'demo-issuer',
    };
  }
  return e.document;
}
