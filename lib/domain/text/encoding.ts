// The encoding of a text file or object, from a sample of its first bytes: a BOM, else
// UTF-8 when the sample reads as UTF-8, else GB18030 or Big5 by which decodes into
// more plausible Chinese; and whether the bytes are binary rather than text. Pure: the
// readers (local files, S3 objects) take the sample and decode what follows.

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'big5'];

/** Bytes from the start of the file used to detect the encoding. */
export const DETECTION_SAMPLE_BYTES = 64 * 1024;
/** Bytes from the start of the file checked for binary content. */
export const BINARY_SAMPLE_BYTES = 8 * 1024;
/** Share of control characters above which a file is treated as binary. */
export const CONTROL_SHARE_LIMIT = 0.1;

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: Encoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0x84, 0x31, 0x95, 0x33], encoding: 'gb18030' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/** The byte-order mark at the start of `bytes`, if any. */
export function sniffBom(bytes: Uint8Array): { encoding: Encoding; length: number } | undefined {
  const bom = BOMS.find((b) => startsWith(bytes, b.bytes));
  return bom ? { encoding: bom.encoding, length: bom.bytes.length } : undefined;
}

// Frequent Chinese characters, Simplified and Traditional, used to tell a
// GB18030 sample from a Big5 one: decoded with the right table, ordinary text is
// mostly made of these; decoded with the wrong one it turns into rare characters,
// kana, Cyrillic, private-use code points or replacement characters.
const COMMON_SIMPLIFIED =
  '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵' +
  '薪酬账户银行卡护照身份证号码邮箱地址客户订单发票付款报销请假体检医疗诊断药物保险员工姓名联系电话手机微信群聊天记录财务人事销售排班';
const COMMON_TRADITIONAL =
  '這個們來為國們說時會對過發後裡經麼學現當沒動開從實軍無與長機關點業將兩間問應戰頭體見產進樣種義話還書條區萬場報東員氣題爾變總電數結從許統資處隊決習聽卻達強難權覺術領確傳師觀讓識帶導爭運飛風步改收根幹造聯組濟車親極辦議證轉準遠單羅愛擊備連調質團價黨華級離況亞請際約復線斷滿視須寫稱農裝廣顯圖歷醫專費號盡較語僅隨選紅響雖勢參眾構節案維劃敵陳態護興驗責營夠嚴續講終緊黃絕織鬥雙紀採舉殺蘇訴細願錢網熱屬臉職樂剛狀獨彈創錯蘭試腦預誰陽繼驚傷藥適衛險陸勞財環歡獲雲龍樹層衝範異漢簡擔靜積餘檢靈協揮勝階審堅媽劉讀壓銀買養懷執亂幫歲優鐵稅藝陣腳惡塊頓島戶評寶釋顧貨換聞壞討麗監臨艦魚雜誤灣減編測敗夢溫劍漸貴槍樓縣畫遺謝魯慮銷鐘詩趕劇損舊錄葉鄉禮婦歸飯額順輸搖脫補謂療澤滅筆鮮詞聖擇尋廠煙諾倫奧賣載陰園謀榮孫頂鎮練爺館礎寧紙諸訓莊絲戲隱訪軟薩盤擴蓋穩億擁楊齊賽虛購綠貿畢輪庫跡競棄偉緩潛閃燈絡純頁傑築鄭貝吳圓殘誠寬擺毀趙' +
  '薪酬賬戶銀行卡護照身份證號碼郵箱地址客戶訂單發票付款報銷請假體檢醫療診斷藥物保險員工姓名聯絡電話手機群組聊天記錄財務人事銷售排班於週';
const COMMON_PUNCTUATION = '，。、：；？！（）「」『』《》“”‘’…—';
const COMMON_CHARS: ReadonlySet<string> = new Set([...COMMON_SIMPLIFIED, ...COMMON_TRADITIONAL, ...COMMON_PUNCTUATION]);

/**
 * Plausibility of `text` as Chinese: frequent characters score, characters that a
 * mis-decoding tends to produce (U+FFFD, private use, kana, bopomofo, Greek,
 * Cyrillic, box drawing, rare extension ideographs) cost.
 */
export function chineseScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) continue;
    if (COMMON_CHARS.has(ch)) score += 2;
    else if (cp === 0xfffd) score -= 6;
    else if (cp >= 0xe000 && cp <= 0xf8ff) score -= 4;
    else if (
      (cp >= 0x0370 && cp <= 0x04ff) || // Greek, Cyrillic
      (cp >= 0x2500 && cp <= 0x257f) || // box drawing
      (cp >= 0x3040 && cp <= 0x312f) || // kana, bopomofo
      (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
      (cp >= 0xf900 && cp <= 0xfaff) || // compatibility ideographs
      cp > 0xffff // extension B and beyond
    )
      score -= 1;
  }
  return score;
}

/**
 * Whether a sample reads as UTF-8: valid (checked with a fatal decoder), or
 * nearly so: at most one replacement per 20 decoded non-ASCII characters (and at
 * least one allowed), so a UTF-8 file with a few corrupt bytes stays UTF-8. GB18030
 * or Big5 text read as UTF-8 gives far more replacements than that, since only
 * some of its byte pairs happen to be valid UTF-8.
 */
function looksUtf8(sample: Uint8Array, complete: boolean): boolean {
  if (validUtf8(sample, complete)) return true;
  const text = new TextDecoder('utf-8').decode(sample, { stream: !complete });
  let replaced = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) replaced++;
    else if (c >= 0x80) other++;
  }
  return replaced <= Math.max(1, other / 20);
}

/** Whether a sample is valid UTF-8 (stream: a character cut at the end of an incomplete sample is not held against it). */
export function validUtf8(sample: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Detect the encoding of a sample taken from the start of a file (`complete` when
 * it is the whole file): a BOM; else UTF-8 when the sample reads as UTF-8 (see
 * looksUtf8); else GB18030 or Big5, whichever decodes the sample into more
 * plausible Chinese (ties go to GB18030). Files in other encodings (Shift-JIS,
 * Windows-1252, ...) end up as one of these, with their unmappable bytes counted
 * as replaced sequences. Only the sample is looked at: a file whose first 64 KiB
 * are ASCII and whose later text is GB18030 is read as UTF-8.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): { encoding: Encoding; bomLength: number } {
  const bom = sniffBom(sample);
  if (bom) return { encoding: bom.encoding, bomLength: bom.length };
  if (looksUtf8(sample, complete)) return { encoding: 'utf-8', bomLength: 0 };
  const gb = chineseScore(new TextDecoder('gb18030').decode(sample, { stream: !complete }));
  const big5 = chineseScore(new TextDecoder('big5').decode(sample, { stream: !complete }));
  return { encoding: big5 > gb ? 'big5' : 'gb18030', bomLength: 0 };
}

// ---------------------------------------------------------------------------
// Binary detection

function isUtf16(encoding: Encoding): boolean {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}

/**
 * Why `head` (the first bytes of a file, BOM excluded) looks binary, or undefined:
 * NUL bytes in the first 8 KiB, 16 or more or over 1% of them (not for UTF-16, where NUL
 * bytes are normal: a few in a text, such as one a database export left in a cell, do
 * not make its thousands of rows unread), or more than 10% control characters (other
 * than tab, line feed, vertical tab, form feed, carriage return and escape; NUL counted)
 * among the characters of the first 8 KiB.
 */
export function binaryReason(head: Uint8Array, encoding: Encoding): string | undefined {
  const sample = head.subarray(0, BINARY_SAMPLE_BYTES);
  if (!isUtf16(encoding)) {
    let nuls = 0;
    for (let i = sample.indexOf(0); i !== -1; i = sample.indexOf(0, i + 1)) nuls++;
    if (nuls >= 16 || nuls * 100 > sample.length) return 'binary: NUL bytes in the first 8 KiB';
  }
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(sample, { stream: true });
  if (text.length === 0) return undefined;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1b) || c === 0x7f) controls++; // NUL (0) included
  }
  const share = controls / text.length;
  if (share > CONTROL_SHARE_LIMIT) return `binary: ${Math.round(share * 100)}% control characters in the first 8 KiB`;
  return undefined;
}

/**
 * How to read bytes that start with `sample` (`complete` when it is all of them): in the
 * declared encoding, skipping a BOM of that encoding, else in the detected one; and
 * why they are binary, when the bytes after the BOM look it. Readers call textFormat
 * (text-format.ts), which corrects this where the first bytes mislead it.
 */
export function detectedFormat(sample: Uint8Array, complete: boolean, declared?: Encoding): { encoding: Encoding; bomLength: number; binary?: string } {
  const bom = sniffBom(sample);
  const format = declared === undefined ? detectEncoding(sample, complete) : { encoding: declared, bomLength: bom?.encoding === declared ? bom.length : 0 };
  const binary = binaryReason(sample.subarray(format.bomLength), format.encoding);
  return binary === undefined ? format : { ...format, binary };
}
