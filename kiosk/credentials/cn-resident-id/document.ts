// A parsed SAM card → the kiosk's IdentityDocument, with the credential checks filled in. Pure.
import type { CredentialCheck, DocumentType, IdentityDocument, Portrait } from '../../core/types.ts';
import { checkIdNumber, numberFitsCardType, parseYmd } from './id-number.ts';
import type { CardText } from './text-block.ts';

export interface ToDocumentOptions {
  /** The caller's date, YYYY-MM-DD. */
  readonly today: string;
  readonly portrait?: Portrait;
}

const DOC_TYPE: Record<CardText['cardType'], DocumentType> = {
  ' ': 'cn-resident-id',
  J: 'cn-hmt-residence-permit',
  I: 'cn-foreign-permanent-2017',
  Y: 'cn-foreign-permanent-2023',
};

/**
 * Check names: 'id-number.format', 'id-number.check-digit', 'id-number.birth-date' (the number's date agrees
 * with the card's birth field), 'card.type' (the number's shape fits the chip's type byte), 'validity.dates'
 * (valid-from/valid-to are real dates), 'validity.not-before', 'validity.expiry'.
 */
export function cardToDocument(card: CardText, opts: ToDocumentOptions): IdentityDocument {
  const checks: CredentialCheck[] = [];
  const verdict = checkIdNumber(card.number, opts.today);
  const formatOk = verdict.kind !== undefined && verdict.problem !== 'format';
  checks.push({ name: 'id-number.format', ok: formatOk, ...(formatOk ? {} : { detail: verdict.reason }) });
  if (formatOk) {
    const cdOk = verdict.problem !== 'check-digit';
    checks.push({ name: 'id-number.check-digit', ok: cdOk, ...(cdOk ? {} : { detail: verdict.reason }) });
  }
  const birthIso = parseYmd(card.birth);
  const numberDateOk =
    verdict.birthDate !== undefined &&
    birthIso !== undefined &&
    // 2017 foreigner numbers carry YYMMDD only: compare month and day plus the 2-digit year.
    (verdict.kind === 'foreign-permanent-2017'
      ? verdict.birthDate.slice(2) === birthIso.slice(2)
      : verdict.birthDate === birthIso);
  checks.push({
    name: 'id-number.birth-date',
    ok: numberDateOk,
    ...(numberDateOk
      ? {}
      : {
          detail:
            verdict.birthDate === undefined ? verdict.reason : 'number and card disagree on the birth date',
        }),
  });
  const typeOk = numberFitsCardType(verdict.kind, card.cardType);
  checks.push({
    name: 'card.type',
    ok: typeOk,
    detail: typeOk ? `card type '${card.cardType}'` : `number does not fit card type '${card.cardType}'`,
  });

  const from = parseYmd(card.validFrom);
  const longTerm = card.validTo === '长期';
  const to = longTerm ? 'long-term' : parseYmd(card.validTo);
  const datesOk = from !== undefined && to !== undefined && (to === 'long-term' || to >= from);
  checks.push({
    name: 'validity.dates',
    ok: datesOk,
    ...(datesOk ? {} : { detail: 'validity dates are not real or out of order' }),
  });
  if (from !== undefined) {
    const ok = from <= opts.today;
    checks.push({ name: 'validity.not-before', ok, ...(ok ? {} : { detail: `valid from ${from}` }) });
  }
  if (to !== undefined) {
    const ok = to === 'long-term' || to >= opts.today;
    checks.push({
      name: 'validity.expiry',
      ok,
      detail: to === 'long-term' ? 'long-term (长期)' : `valid to ${to}`,
    });
  }

  const base = {
    source: 'id-card' as const,
    documentType: DOC_TYPE[card.cardType],
    documentNumber: verdict.normalized ?? card.number,
    ...(card.sex !== undefined ? { sex: card.sex } : {}),
    ...(birthIso !== undefined ? { birthDate: birthIso } : {}),
    ...(from !== undefined ? { validFrom: from } : {}),
    ...(to !== undefined ? { validTo: to } : {}),
    ...(opts.portrait !== undefined ? { portrait: opts.portrait } : {}),
    checks,
  };
  switch (card.cardType) {
    case ' ':
      return { ...base, name: card.name, nationality: 'CHN', issuer: card.authority };
    case 'J':
      return { ...base, name: card.name, nationality: 'CHN', issuer: card.authority };
    case 'I':
      return {
        ...base,
        name: card.nameChinese !== '' ? card.nameChinese : card.nameLatin,
        nameLatin: card.nameLatin,
        nationality: card.nationality,
      };
    case 'Y':
      return {
        ...base,
        name: card.nameChinese !== '' ? card.nameChinese : card.nameLatin,
        nameLatin: card.nameLatin,
        ...(/^\d{3}$/.test(card.nationality) || /^[A-Z]{3}$/.test(card.nationality)
          ? { nationality: card.nationality }
          : {}),
      };
  }
}
