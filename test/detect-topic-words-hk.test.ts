// Health and pay words as Hong Kong people write them (a QA pass found them missed):
// 睇咗醫生 and the other forms of 睇醫生, 覆診, 糖尿病, 產假, 診所 after going to one,
// `maternity leave`, `allergic`, `diabetic`, `asthma`, `clinic`, `pregnant`; 出咗糧, 發糧,
// `double pay`, `basic pay`, `net pay`, `gross pay`. And the near misses that must stay
// clean: a clinic's name in an address, a food label's allergy advice, 糧 words read across
// 批發 / 輸出 and 糧食 / 糧油, 侍產假 (paternity leave), `net payable`, `flu` in `influx`.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';

/** Each finding of `text`: type, as written, canonical keyword; and that the kernel's candidates lose none of them. */
function found(text: string): [string, string, string][] {
  expectCandidatesComplete(text);
  return detect(text).map((d) => [d.type, d.raw, d.value]);
}

describe('health words as people write them', () => {
  it.each([
    ['今日睇咗醫生', '睇咗醫生', '睇醫生'],
    ['我而家睇緊醫生', '睇緊醫生', '睇醫生'],
    ['睇完醫生先返工', '睇完醫生', '睇醫生'],
    ['佢琴日睇過醫生', '睇過醫生', '睇醫生'],
    ['今日睇咗医生', '睇咗医生', '睇医生'],
    ['聽日要覆診', '覆診', '覆診'],
    ['下星期複診', '複診', '覆診'],
    ['明天要复诊', '复诊', '复诊'],
    ['覆診所需文件', '覆診', '覆診'], // 覆診 + 所需, not 診所
    ['佢有糖尿病', '糖尿病', '糖尿病'],
    ['下個月放產假', '產假', '產假'],
    ['下个月放产假', '产假', '产假'],
    ['去咗診所', '診所', '診所'],
    ['我喺诊所等緊', '诊所', '诊所'],
    ['Mandy is on maternity leave', 'maternity leave', 'maternity leave'],
    ['allergic to penicillin', 'allergic', 'allergy'],
    ['Allergies: penicillin', 'Allergies', 'allergy'],
    ['is diabetic and needs insulin', 'diabetic', 'diabetes'],
    ['Kelvin has asthma', 'asthma', 'asthma'],
    ['went to the clinic, doctor says flu', 'clinic', 'clinic'],
    ['Clinic visit at 3pm', 'Clinic', 'clinic'],
    ['She is pregnant', 'pregnant', 'pregnancy'],
  ] as const)('finds %j', (text, raw, value) => {
    expect(found(text)).toEqual([['health', raw, value]]);
  });
});

describe('pay words as people write them', () => {
  it.each([
    ['出咗糧未呀？', '出咗糧', '出糧'],
    ['出咗粮未呀', '出咗粮', '出粮'],
    ['遲咗出糧', '出糧', '出糧'],
    ['公司幾時發糧？', '發糧', '發糧'],
    ['公司几时发粮', '发粮', '发粮'],
    ['年尾有冇double pay', 'double pay', 'double pay'],
    ['Double-pay in December', 'Double-pay', 'double pay'],
    ['Basic pay HK$28,500', 'Basic pay', 'basic pay'],
    ['Net pay: HK$27,075', 'Net pay', 'net pay'],
    ['Gross pay 30000', 'Gross pay', 'gross pay'],
  ] as const)('finds %j', (text, raw, value) => {
    expect(found(text)).toEqual([['payroll', raw, value]]);
  });
});

describe('business text that holds these words and is no topic', () => {
  it.each([
    "ABC Dental Clinic, 1/F, 18 Queen's Road Central",
    'ABC DENTAL CLINIC 2/F',
    'Quality Medical Clinic Ltd',
    'clinical trial results', // whole words only
    '九龍旺角彌敦道1號2樓仁愛診所',
    'ABC牙科診所 地址：中環',
    'Allergy advice: contains nuts',
    'allergy-friendly menu',
    'Allergen information', // not the word allergy
    '批發糧油', // 批發 wholesale + 糧油 grain and oil
    '開發糧食作物', // 開發 develop + 糧食 grain
    '輸出糧食', // 輸出 export + 糧食 grain
    '放侍產假', // paternity leave
    'paternity leave',
    'Net payable HK$5,000',
    'net payables and receivables',
    'basic payment plan',
    'gross payload',
    'pls double-check the sheet',
    'influx of orders, flush the cache, flu',
    '醫生話冇事', // 醫生 alone is no keyword
  ])('no topic in %j', (text) => {
    expect(found(text)).toEqual([]);
  });
});
