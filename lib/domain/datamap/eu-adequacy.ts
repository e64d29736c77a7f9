// The European Commission's adequacy decisions under GDPR Art. 45 (and those under the
// 1995 Directive that Art. 45(9) keeps in force): the places outside the EU/EEA to which
// EU/EEA people's data may go on adequacy alone. Kept as data with its date, to be
// reviewed whenever the Commission adopts, amends or ends a decision. The EEA itself
// needs none. Neither mainland China nor Hong Kong has one.
export interface AdequacyDecision {
  /** ISO 3166 alpha-2. */
  country: string;
  name: string;
  /** The decision's reference. */
  decision: string;
  /** When it was adopted (ISO date). */
  adopted: string;
  /** Whom it covers, where it does not cover every recipient in the country. */
  scope?: string;
}

export const EU_ADEQUACY: { asOf: string; decisions: readonly AdequacyDecision[] } = {
  /** The list as it stands since the latest decision in it (the EU-US Data Privacy Framework). */
  asOf: '2023-07-10',
  decisions: [
    { country: 'AD', name: 'Andorra', decision: 'Decision 2010/625/EU', adopted: '2010-10-19' },
    { country: 'AR', name: 'Argentina', decision: 'Decision 2003/490/EC', adopted: '2003-06-30' },
    { country: 'CA', name: 'Canada', decision: 'Decision 2002/2/EC', adopted: '2001-12-20', scope: 'commercial organisations subject to PIPEDA' },
    { country: 'FO', name: 'Faroe Islands', decision: 'Decision 2010/146/EU', adopted: '2010-03-05' },
    { country: 'GG', name: 'Guernsey', decision: 'Decision 2003/821/EC', adopted: '2003-11-21' },
    { country: 'IL', name: 'Israel', decision: 'Decision 2011/61/EU', adopted: '2011-01-31' },
    { country: 'IM', name: 'Isle of Man', decision: 'Decision 2004/411/EC', adopted: '2004-04-28' },
    { country: 'JP', name: 'Japan', decision: 'Implementing Decision (EU) 2019/419', adopted: '2019-01-23' },
    { country: 'JE', name: 'Jersey', decision: 'Decision 2008/393/EC', adopted: '2008-05-08' },
    { country: 'NZ', name: 'New Zealand', decision: 'Implementing Decision 2013/65/EU', adopted: '2012-12-19' },
    { country: 'KR', name: 'Republic of Korea', decision: 'Implementing Decision (EU) 2022/254', adopted: '2021-12-17' },
    { country: 'CH', name: 'Switzerland', decision: 'Decision 2000/518/EC', adopted: '2000-07-26' },
    { country: 'GB', name: 'United Kingdom', decision: 'Implementing Decision (EU) 2021/1772', adopted: '2021-06-28' },
    { country: 'UY', name: 'Uruguay', decision: 'Implementing Decision 2012/484/EU', adopted: '2012-08-21' },
    { country: 'US', name: 'United States', decision: 'Implementing Decision (EU) 2023/1795', adopted: '2023-07-10', scope: 'recipients certified under the EU-US Data Privacy Framework' },
  ],
};

const BY_COUNTRY = new Map(EU_ADEQUACY.decisions.map((d) => [d.country, d]));

/** The EU adequacy decision for a country, if there is one. */
export function euAdequacyFor(country: string | undefined): AdequacyDecision | undefined {
  return country === undefined ? undefined : BY_COUNTRY.get(country.toUpperCase());
}
