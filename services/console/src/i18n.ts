// The console's three working languages: every fixed text of the UI and every enum name the
// API sends (statuses, kinds, reasons, steps) in Kazakh, Russian and English, the units of
// measure, and the choice of one for protocol texts (LocalizedText) from the server.
import { useEffect, useState } from "preact/hooks";

export type Lang = "kk" | "ru" | "en";
export const LANGS: Lang[] = ["kk", "ru", "en"];

const T = {
  appTitle: ["Jedel — жедел жәрдем", "Jedel — скорая помощь", "Jedel — emergency care"],
  login: ["Кіру", "Войти", "Log in"],
  logout: ["Шығу", "Выйти", "Log out"],
  name: ["Аты", "Имя", "Name"],
  role: ["Рөлі", "Роль", "Role"],
  regions: ["Өңірлер", "Регионы", "Regions"],
  airline: ["Авиакомпания", "Авиакомпания", "Airline"],
  token: ["Токен", "Токен", "Token"],
  useToken: ["Токенмен кіру", "Войти по токену", "Use a token"],
  localLoginOff: ["Жергілікті кіру өшірулі: токенді қойыңыз", "Локальный вход выключен: вставьте токен", "Local login is off: paste a token"],
  callTaker: ["Қоңырау қабылдау", "Приём вызовов", "Call-taker"],
  dispatcher: ["Диспетчер", "Диспетчер", "Dispatcher"],
  medevac: ["Санавиация", "Санавиация", "Medevac"],
  situation: ["Ахуалдық орталық", "Ситуационный центр", "Situation centre"],
  newCall: ["Жаңа қоңырау", "Новый вызов", "New call"],
  region: ["Өңір", "Регион", "Region"],
  phone: ["Телефон", "Телефон", "Phone"],
  callerName: ["Қоңырау шалушы", "Звонящий", "Caller"],
  address: ["Мекенжай", "Адрес", "Address"],
  lat: ["Ендік", "Широта", "Latitude"],
  lon: ["Бойлық", "Долгота", "Longitude"],
  iin: ["ЖСН", "ИИН", "IIN"],
  patientName: ["Науқас", "Пациент", "Patient"],
  age: ["Жасы", "Возраст", "Age"],
  complaint: ["Шағым", "Жалоба", "Complaint"],
  triage: ["Триаж", "Триаж", "Triage"],
  preview: ["Болжам", "Предварительно", "Preview"],
  undecided: ["әлі анықталмады", "пока не определено", "not decided yet"],
  create: ["Тіркеу", "Зарегистрировать", "Register"],
  category: ["Санат", "Категория", "Category"],
  reason: ["Себеп", "Причина", "Reason"],
  deadline: ["Норма", "Норматив", "Norm"],
  duplicates: ["Мүмкін қайталанатын", "Возможные дубликаты", "Possible duplicates"],
  repeats: ["Қайта қоңыраулар", "Повторные вызовы", "Repeat calls"],
  linkDuplicate: ["Көшірме ретінде байланыстыру", "Связать как дубликат", "Link as duplicate"],
  linkRepeat: ["Қайта қоңырау ретінде", "Связать как повтор", "Link as repeat"],
  none: ["жоқ", "нет", "none"],
  queue: ["Кезек", "Очередь", "Queue"],
  active: ["Жұмыстағы шақырулар", "Вызовы в работе", "Calls in progress"],
  recommendations: ["Ұсынылған бригадалар", "Рекомендуемые бригады", "Recommended units"],
  assign: ["Тағайындау", "Назначить", "Assign"],
  units: ["Бригадалар", "Бригады", "Units"],
  alerts: ["Дабылдар", "Тревоги", "Alerts"],
  selectCall: ["Шақыруды таңдаңыз", "Выберите вызов", "Select a call"],
  noUnitMeetsNorm: ["Нормаға ешкім үлгермейді", "Никто не успевает в норматив", "No unit meets the norm"],
  left: ["қалды", "осталось", "left"],
  overdue: ["кешікті", "просрочено", "overdue"],
  requests: ["Өтінімдер", "Заявки", "Requests"],
  aircraft: ["Әуе кемелері", "Воздушные суда", "Aircraft"],
  excluded: ["Жарамсыз", "Исключены", "Excluded"],
  messages: ["Хабарламалар", "Сообщения", "Messages"],
  send: ["Жіберу", "Отправить", "Send"],
  groundTransfer: ["Жерүсті тасымалы", "Наземная перевозка", "Ground transfer"],
  choose: ["Таңдау", "Выбрать", "Choose"],
  startReview: ["Қарауды бастау", "Начать рассмотрение", "Start review"],
  approve: ["Мақұлдау", "Одобрить", "Approve"],
  returnReq: ["Қайтару", "Вернуть", "Return"],
  reject: ["Қабылдамау", "Отклонить", "Reject"],
  taskAirline: ["Авиакомпанияға тапсыру", "Поручить авиакомпании", "Task the airline"],
  accept: ["Қабылдау", "Принять", "Accept"],
  decline: ["Бас тарту", "Отказаться", "Decline"],
  complete: ["Аяқтау", "Завершить", "Complete"],
  submit: ["Жолдау", "Подать", "Submit"],
  newRequest: ["Жаңа өтінім", "Новая заявка", "New request"],
  taskings: ["Тапсырмалар", "Задания", "Taskings"],
  crew: ["Экипаж", "Экипаж", "Crew"],
  timeToPatient: ["Науқасқа дейін", "До пациента", "To patient"],
  cost: ["Құны", "Стоимость", "Cost"],
  nation: ["Республика", "Республика", "Nation"],
  withinNorm: ["Нормада қызмет көрсетілді", "Обслужено в нормативе", "Served within norm"],
  target: ["Мақсат", "Цель", "Target"],
  arrivalTimes: ["Келу уақыты (орташа / p90)", "Время доезда (среднее / p90)", "Arrival time (mean / p90)"],
  flights: ["Рейстер", "Рейсы", "Flights"],
  callsToday: ["Бүгінгі шақырулар", "Вызовы за сегодня", "Calls today"],
  waiting: ["Күтуде", "Ожидают", "Waiting"],
  lateToday: ["Кешіккен", "С опозданием", "Late today"],
  unitsAvailable: ["Бос бригадалар", "Свободные бригады", "Units available"],
  openRequests: ["Ашық өтінімдер", "Открытые заявки", "Open requests"],
  inProgress: ["Ұшуда", "В полёте", "In progress"],
  keys: ["Пернелер", "Клавиши", "Keys"],
  loading: ["Жүктелуде…", "Загрузка…", "Loading…"],
  origin: ["Қайдан", "Откуда", "From"],
  destination: ["Қайда", "Куда", "To"],
  history: ["Тарих", "История", "History"],
  status: ["Мәртебесі", "Статус", "Status"],
  notAllowed: ["Бұл рөлге қолжетімсіз", "Недоступно для этой роли", "Not available to this role"],
  map: ["Карта", "Карта", "Map"],
  min: ["мин", "мин", "min"],
  hours: ["сағ", "ч", "h"],
  kmUnit: ["км", "км", "km"],
  kg: ["кг", "кг", "kg"],
  kb: ["КБ", "КБ", "KB"],
  eta: ["Келу", "Прибытие", "ETA"],
  urgency: ["Шұғылдығы", "Срочность", "Urgency"],
  missionType: ["Ұшу мақсаты", "Тип задания", "Mission"],
  severity: ["Жағдайы", "Состояние", "Condition"],
  needs: ["Қажеттіліктер", "Потребности", "Needs"],
  doctor: ["Үйлестіруші дәрігер", "Врач-координатор", "Coordinating doctor"],
  familyName: ["Тегі", "Фамилия", "Family name"],
  givenName: ["Аты", "Имя", "Given name"],
  weight: ["Салмағы, кг", "Вес, кг", "Weight, kg"],
  icd10: ["АХЖ-10", "МКБ-10", "ICD-10"],
  consent: ["Қабылдаушы дәрігердің келісімі", "Согласие принимающего врача", "Receiving doctor's consent"],
  ventilated: ["ӨЖЖ-да", "на ИВЛ", "ventilated"],
  reassign: ["Басқа бригадаға беру", "Переназначить", "Reassign"],
  reassignTo: ["Кімге беру", "Кому передать", "Hand over to"],
  release: ["Бригаданы босату", "Снять бригаду", "Release"],
  reasonNeeded: ["Себебін жазыңыз, содан кейін Enter", "Укажите причину и нажмите Enter", "Type the reason, then Enter"],
  closeCall: ["Шақыруды жабу", "Закрыть вызов", "Close the call"],
  cancelCall: ["Шақыруды болдырмау", "Отменить вызов", "Cancel the call"],
  outcome: ["Нәтижесі", "Результат", "Outcome"],
  hospital: ["Аурухана", "Стационар", "Hospital"],
  resuscitationAttempted: ["Реанимация жүргізілді", "Проводилась реанимация", "Resuscitation attempted"],
  resuscitationSuccessful: ["Реанимация сәтті", "Реанимация успешна", "Resuscitation successful"],
  divert: ["Бағытын өзгерту", "Перенаправить", "Divert"],
  divertsFrom: ["Мына шақырудан алынады", "Снимается с вызова", "Diverted from call"],
  destinationHospital: ["Апаратын аурухана", "Стационар доставки", "Destination hospital"],
  chosen: ["Таңдалды", "Выбран", "Chosen"],
  profiles: ["Бейіндер", "Профили", "Profiles"],
  missing: ["жоқ", "нет", "missing"],
  lastPosition: ["Соңғы орны", "Последняя позиция", "Last position"],
  noPosition: ["Орны әлі хабарланбаған", "Позиция ещё не передавалась", "No position reported yet"],
  altitude: ["биіктік", "высота", "altitude"],
  speed: ["жылдамдық", "скорость", "speed"],
  kmh: ["км/сағ", "км/ч", "km/h"],
  m: ["м", "м", "m"],
  milestones: ["Ұшу кезеңдері", "Этапы полёта", "Flight milestones"],
  planned: ["жоспар", "план", "planned"],
  report: ["Хабарлау", "Сообщить", "Report"],
  note: ["Ескерту", "Примечание", "Note"],
  assignCrew: ["Экипажды бекіту", "Назначить экипаж", "Name the crew"],
  crewName: ["Аты-жөні", "ФИО", "Full name"],
  addMember: ["Мүше қосу", "Добавить", "Add member"],
  documents: ["Құжаттар", "Документы", "Documents"],
  upload: ["Жүктеу", "Загрузить", "Upload"],
  documentKind: ["Құжат түрі", "Тип документа", "Document kind"],
  flightAlerts: ["Ұшу дабылдары", "Тревоги по полётам", "Flight alerts"],
  threshold: ["шегі", "порог", "threshold"],
  alertCleared: ["жойылды", "снята", "cleared"],
  nextExpected: ["Келесі кезең (СС:ММ)", "Следующий этап (ЧЧ:ММ)", "Next expected (HH:MM)"],
  download: ["Жүктеп алу", "Скачать", "Download"],
  periodReport: ["Кезең есебі", "Отчёт за период", "Period report"],
  periodFrom: ["Бастап", "С", "From"],
  periodTo: ["Дейін", "По", "To"],
  build: ["Құру", "Сформировать", "Build"],
  total: ["Барлығы", "Итого", "Total"],
  lateShare: ["Кешігу үлесі", "Доля опозданий", "Late share"],
  resuscitation: ["Сәтті реанимация", "Успешные реанимации", "Successful resuscitations"],
  calls: ["Шақырулар", "Вызовы", "Calls"],
  flightTime: ["Ұшу уақыты", "Налёт", "Flight time"],
  live: ["Қазір", "Сейчас", "Live"],
} as const satisfies Record<string, readonly [string, string, string]>;

/** Enum value names as the API spells them (`EN_ROUTE`, `PILOT_IN_COMMAND`): Kazakh and
 * Russian, and English when it is more than the name in lower case. A name means the same in
 * every enum that uses it, so one table serves them all. */
const NAMES: Record<string, readonly [string, string] | readonly [string, string, string]> = {
  // Calls, milestones and units.
  RECEIVED: ["қабылданды", "принят"],
  CATEGORISED: ["санатталды", "категоризирован"],
  WAITING: ["күтуде", "ожидает"],
  RECOMMENDED: ["ұсынылды", "рекомендован"],
  ASSIGNED: ["тағайындалды", "назначен"],
  CREW_NOTIFIED: ["бригадаға хабарланды", "бригада оповещена"],
  DEPARTED: ["шықты", "отправился"],
  EN_ROUTE: ["жолда", "в пути"],
  ON_SCENE: ["орнында", "на месте"],
  PATIENT_CONTACT: ["науқаспен байланыс", "контакт с пациентом"],
  TRANSPORTING: ["тасымалдауда", "транспортировка"],
  AT_HOSPITAL: ["ауруханада", "в стационаре"],
  HANDOVER: ["науқас тапсырылды", "пациент передан"],
  UNIT_RELEASED: ["бригада босатылды", "бригада снята"],
  CLOSED: ["жабылды", "закрыт"],
  CANCELLED: ["болдырылмады", "отменён"],
  LINKED: ["байланыстырылды", "связан"],
  NO_POSITION: ["орны хабарланбайды", "нет позиции"],
  BEHIND_PLAN: ["кестеден қалып барады", "отставание от плана"],
  TREATED_ON_SCENE: ["орнында көмек көрсетілді", "помощь оказана на месте"],
  HOSPITALISED: ["ауруханаға жатқызылды", "госпитализирован", "hospitalised"],
  REFUSED: ["бас тартты", "отказ"],
  DEATH: ["қайтыс болды", "смерть"],
  HANDED_TO_PHC: ["МСАК-қа берілді", "передан в ПМСП", "handed to PHC"],
  AVAILABLE: ["бос", "свободна"],
  AVAILABLE_AT_STATION: ["бекетте бос", "свободна на подстанции"],
  AVAILABLE_ON_MOVE: ["жолда бос", "свободна в движении"],
  RETURNING: ["қайтуда", "возвращается"],
  OUT_OF_SERVICE: ["істен тыс", "не в строю"],
  OFF_SHIFT: ["ауысымнан тыс", "вне смены"],
  AT_RISK: ["нормаға қауіп", "норматив под угрозой"],
  BREACHED: ["норма бұзылды", "норматив нарушен"],
  CLEARED: ["қауіп жойылды", "угроза снята"],
  DUPLICATE: ["көшірме", "дубликат"],
  REPEAT: ["қайта қоңырау", "повторный"],
  // Teams and hospital profiles.
  PHYSICIAN: ["дәрігер", "врач"],
  FELDSHER: ["фельдшерлік", "фельдшерская"],
  RESUSCITATION: ["реанимациялық", "реанимационная"],
  PAEDIATRIC: ["педиатриялық", "педиатрическая"],
  PHC_MOBILE: ["МСАК жылжымалы", "мобильная ПМСП", "PHC mobile"],
  STROKE: ["инсульт орталығы", "инсультный центр", "stroke centre"],
  PCI: ["ЧКА орталығы", "центр ЧКВ", "PCI centre"],
  TRAUMA: ["жарақат орталығы", "травмацентр", "trauma centre"],
  PERINATAL: ["перинаталдық орталық", "перинатальный центр", "perinatal centre"],
  BURNS: ["күйік орталығы", "ожоговый центр", "burns centre"],
  TOXICOLOGY: ["токсикология", "токсикология"],
  FULL: ["толық сәйкес", "полное соответствие", "full match"],
  PARTIAL: ["ішінара сәйкес", "частичное соответствие", "partial match"],
  NONE: ["жоқ", "нет"],
  // Medevac requests, taskings and steps.
  DRAFT: ["жоба", "черновик"],
  SUBMITTED: ["жолданды", "подана"],
  UNDER_REVIEW: ["қаралуда", "на рассмотрении"],
  APPROVED: ["мақұлданды", "одобрена"],
  RETURNED_FOR_INFORMATION: ["нақтылауға қайтарылды", "возвращена на уточнение"],
  REJECTED: ["қабылданбады", "отклонена"],
  AIRCRAFT_CHOSEN: ["әуе кемесі таңдалды", "борт выбран"],
  AIRLINE_TASKED: ["авиакомпанияға тапсырылды", "поручено авиакомпании"],
  ACCEPTED: ["қабылданды", "принято"],
  DECLINED: ["бас тартылды", "отказ"],
  CREW_ASSIGNED: ["экипаж бекітілді", "экипаж назначен"],
  AT_ORIGIN: ["алып кету орнында", "в пункте забора"],
  PATIENT_ON_BOARD: ["науқас бортта", "пациент на борту"],
  LANDED: ["қонды", "приземлился"],
  HANDED_OVER: ["тапсырылды", "передан"],
  COMPLETED: ["аяқталды", "завершено"],
  CHOSEN: ["таңдалды", "выбрано"],
  OFFERED: ["ұсынылды", "предложено"],
  WITHDRAWN: ["кері алынды", "отозвано"],
  TASKED: ["тапсырылды", "поручено"],
  PREPARING: ["дайындық", "подготовка"],
  POSITIONING: ["науқасқа ұшу", "перелёт к пациенту"],
  ON_SITE: ["орнында", "на месте"],
  PATIENT_FLIGHT: ["науқаспен ұшу", "полёт с пациентом"],
  GROUND_TRANSFER: ["жерүсті тасымалы", "наземная перевозка"],
  PATIENT_TRANSPORT: ["науқасты тасымалдау", "транспортировка пациента"],
  SPECIALIST_DELIVERY: ["маманды жеткізу", "доставка специалиста"],
  ON_SITE_SURGERY: ["орнында операция", "операция на месте"],
  ORGAN_TRANSPORT: ["ағзаны жеткізу", "доставка органа"],
  EMERGENCY: ["шұғыл", "экстренная"],
  URGENT: ["кезек күттірмейтін", "неотложная"],
  PLANNED: ["жоспарлы", "плановая"],
  SATISFACTORY: ["қанағаттанарлық", "удовлетворительное"],
  MODERATE: ["орташа ауыр", "средней тяжести"],
  SEVERE: ["ауыр", "тяжёлое"],
  EXTREMELY_SEVERE: ["өте ауыр", "крайне тяжёлое"],
  TERMINAL: ["терминалдық", "терминальное"],
  INTENSIVE_CARE_MODULE: ["реанимация модулі", "реанимационный модуль", "intensive-care module"],
  INCUBATOR: ["кювез", "кювез"],
  STRETCHER: ["зембіл", "носилки"],
  OXYGEN: ["оттегі", "кислород"],
  BASIC: ["негізгі", "базовый"],
  INTENSIVE_CARE: ["реанимация", "реанимация", "intensive care"],
  NEONATAL: ["неонаталдық", "неонатальный"],
  POSITIONING_FLIGHT: ["науқасқа ұшу", "перелёт к пациенту"],
  GROUND_TO_AIRFIELD: ["әуежайға дейін жермен", "наземно до аэродрома", "ground to the airfield"],
  GROUND_TO_HOSPITAL: ["ауруханаға дейін жермен", "наземно до стационара", "ground to the hospital"],
  RETURN_FLIGHT: ["қайту ұшуы", "обратный перелёт"],
  PLANE: ["ұшақ", "самолёт"],
  HELICOPTER: ["тікұшақ", "вертолёт"],
  GROUND: ["жермен", "наземно"],
  AIRLINE_SUSPENDED: ["авиакомпания тоқтатылған", "авиакомпания приостановлена"],
  CERTIFICATE_NOT_IN_FORCE: ["сертификат күшінде емес", "сертификат не действует"],
  CONTRACT_NOT_IN_FORCE: ["шарт күшінде емес", "договор не действует"],
  MAINTENANCE: ["техникалық қызметте", "на техобслуживании"],
  ON_MISSION: ["тапсырмада", "на задании"],
  NO_MEDICAL_MODULE: ["медициналық модуль жоқ", "нет медицинского модуля"],
  NOT_PRESSURISED: ["кабина герметикалық емес", "негерметичная кабина"],
  INSUFFICIENT_CAPACITY: ["орын жеткіліксіз", "недостаточно мест"],
  OUT_OF_RANGE: ["ұшу қашықтығынан тыс", "вне дальности"],
  RUNWAY_TOO_SHORT: ["ҰҚЖ тым қысқа", "ВПП слишком короткая"],
  UNSUITABLE_SURFACE: ["жабыны жарамсыз", "неподходящее покрытие"],
  NO_HELIPAD: ["тікұшақ алаңы жоқ", "нет вертолётной площадки"],
  NIGHT_RULE: ["түнгі ұшу шектеуі", "ночное ограничение"],
  AIRFIELD_CLOSED: ["әуежай жабық", "аэродром закрыт"],
  PILOT_IN_COMMAND: ["кеме командирі", "командир ВС"],
  CO_PILOT: ["екінші ұшқыш", "второй пилот"],
  FLIGHT_ENGINEER: ["борттехник", "бортинженер"],
  PARAMEDIC: ["фельдшер", "фельдшер"],
  MEDICAL_RECORD_EXTRACT: ["медициналық картадан үзінді", "выписка из медкарты"],
  TEST_RESULTS: ["талдау нәтижелері", "результаты анализов"],
  IMAGING_REPORT: ["бейнелеу қорытындысы", "заключение по снимкам"],
  CONSENT: ["келісім", "согласие"],
  OTHER: ["басқа", "другое"],
  TRACKER: ["трекер", "трекер"],
  CREW: ["экипаж", "экипаж"],
  // Reports.
  NATIONAL_STATISTICS: ["ұлттық статистика", "национальная статистика"],
  INDICATORS: ["индикаторлар", "индикаторы"],
  ARRIVAL_TIMES: ["келу уақыты", "время доезда"],
  MEDEVAC_STEPS: ["санавиация кезеңдері", "этапы санавиации"],
  // Roles.
  CALL_TAKER: ["қоңырау қабылдаушы", "оператор 103", "call-taker"],
  DISPATCHER: ["диспетчер", "диспетчер"],
  COORDINATOR: ["үйлестіруші дәрігер", "врач-координатор", "coordinating doctor"],
  MEDEVAC_DISPATCHER: ["санавиация диспетчері", "диспетчер санавиации"],
  AIRLINE: ["авиакомпания", "авиакомпания"],
  SITUATION: ["ахуалдық орталық", "ситуационный центр", "situation centre"],
  ADMIN: ["әкімші", "администратор", "administrator"],
};

export type Key = keyof typeof T;

let lang: Lang = (localStorage.getItem("jedel.lang") as Lang) || "ru";
const listeners = new Set<() => void>();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem("jedel.lang", next);
  document.documentElement.lang = next;
  listeners.forEach((l) => l());
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [, force] = useState(0);
  useEffect(() => {
    const listener = () => force((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return lang;
}

export function t(key: Key): string {
  return T[key][LANGS.indexOf(lang)];
}

/** Picks the current language from a server LocalizedText. */
export function loc(text: { kk: string; ru: string; en: string } | undefined): string {
  if (!text) return "";
  return text[lang] || text.en || text.ru || text.kk;
}

/** The name of `value` of a generated enum (`UnitStatus`, `RequestStatus`, …) in the current
 * language: "en route", "в пути", "жолда". */
export function enumName(table: Record<number, string>, value: number): string {
  return valueName(table[value] ?? String(value));
}

/** A role name from a token (`medevac_dispatcher`) in the current language. */
export function roleName(role: string): string {
  return valueName(role.toUpperCase());
}

function valueName(name: string): string {
  const names = NAMES[name];
  const i = LANGS.indexOf(lang);
  return names?.[i] ?? name.toLowerCase().replace(/_/g, " ");
}
