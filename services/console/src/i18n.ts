// The console's three working languages: every fixed text of the UI in Kazakh, Russian and
// English, and the choice of one for protocol texts (LocalizedText) from the server.
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
  map: ["Карта", "Карта", "Map"],
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
} as const satisfies Record<string, readonly [string, string, string]>;

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
