#!/usr/bin/env python3
"""Generate the Kazakhstan reference data set of Jedel.

Deterministic (fixed seed, Python 3 standard library only). Run from anywhere:

    python3 data/reference/kazakhstan/generate.py

It writes regions.json, stations.json, brigades.json, hospitals.json,
airfields.json, airlines.json, aircraft.json and contracts.json next to itself
(shapes: docs/reference-data.md) and then re-reads them and runs a self-check
(counts, references, uniqueness, enums, coordinates, BIN checksums, dates).
`--check` only runs the self-check on the files as they are.

Facts come from shared/reference/kazakhstan.md (national figures, regions,
airfields, airlines, aircraft types). Everything below the national figures
(positions inside cities, addresses, vehicle plates, BINs, certificate and
contract numbers, fleets) is synthetic but plausible; see README.md.
"""

import datetime as dt
import json
import math
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261122
TODAY = dt.date(2026, 11, 22)

# National figures (shared/reference/kazakhstan.md).
PHYSICIAN_CREWS = 258
FELDSHER_CREWS = 1360
PHC_MOBILE_TEAMS = 647
STROKE_CENTRES = 83
PCI_CENTRES = 48
RURAL_CREW_WEIGHT = 1.4  # a rural resident needs more crews (distance) than an urban one

# ---------------------------------------------------------------------------
# Regions.
# code, prefix (station codes), plate (vehicle plate region number),
# name_kk, name_ru, name_en, centre, lat, lon, population (millions), urban share,
# city substations in the centre, general city hospitals in the centre besides the
# main one, PHC organisations in the centre, stroke centres, PCI centres,
# city radius (km) used to spread stations and hospitals in the centre.
# ---------------------------------------------------------------------------
REGIONS = [
    ("KZ-10", "ABA", "18", "Абай облысы", "область Абай", "Abai Region", "Semey", 50.41, 80.23, 0.60, 0.60, 3, 2, 2, 4, 2, 5),
    ("KZ-11", "AKM", "03", "Ақмола облысы", "Акмолинская область", "Akmola Region", "Kokshetau", 53.28, 69.38, 0.79, 0.50, 2, 1, 1, 4, 2, 4),
    ("KZ-15", "AKT", "04", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Aktobe", 50.28, 57.17, 0.93, 0.67, 5, 3, 2, 4, 3, 6),
    ("KZ-19", "ALR", "05", "Алматы облысы", "Алматинская область", "Almaty Region", "Konaev", 43.87, 77.07, 1.53, 0.30, 1, 1, 1, 5, 2, 3),
    ("KZ-23", "ATY", "06", "Атырау облысы", "Атырауская область", "Atyrau Region", "Atyrau", 47.12, 51.88, 0.70, 0.55, 3, 2, 2, 3, 2, 5),
    ("KZ-27", "WKO", "07", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region", "Oral", 51.23, 51.37, 0.69, 0.53, 3, 2, 1, 3, 2, 5),
    ("KZ-31", "ZHA", "08", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", "Taraz", 42.90, 71.37, 1.22, 0.41, 3, 2, 2, 4, 2, 5),
    ("KZ-33", "ZHE", "19", "Жетісу облысы", "область Жетісу", "Zhetysu Region", "Taldykorgan", 45.02, 78.37, 0.70, 0.43, 2, 1, 1, 3, 2, 4),
    ("KZ-35", "KAR", "09", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "Karaganda", 49.80, 73.11, 1.13, 0.86, 6, 4, 3, 6, 4, 7),
    ("KZ-39", "KOS", "10", "Қостанай облысы", "Костанайская область", "Kostanay Region", "Kostanay", 53.21, 63.62, 0.83, 0.57, 3, 2, 1, 4, 2, 5),
    ("KZ-43", "KZO", "11", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "Kyzylorda", 44.85, 65.51, 0.84, 0.45, 3, 2, 1, 3, 2, 5),
    ("KZ-47", "MAN", "12", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Aktau", 43.65, 51.17, 0.78, 0.42, 3, 2, 1, 3, 2, 5),
    ("KZ-55", "PAV", "14", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "Pavlodar", 52.28, 76.97, 0.75, 0.72, 3, 2, 2, 4, 2, 5),
    ("KZ-59", "NKO", "15", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region", "Petropavl", 54.87, 69.15, 0.53, 0.46, 2, 1, 1, 3, 1, 4),
    ("KZ-61", "TUR", "13", "Түркістан облысы", "Туркестанская область", "Turkistan Region", "Turkistan", 43.30, 68.25, 2.11, 0.22, 2, 1, 1, 6, 2, 4),
    ("KZ-62", "ULY", "20", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", "Zhezkazgan", 47.78, 67.70, 0.22, 0.80, 1, 1, 1, 1, 1, 4),
    ("KZ-63", "EKO", "16", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region", "Oskemen", 49.95, 82.62, 0.73, 0.65, 3, 2, 2, 4, 2, 5),
    ("KZ-71", "AST", "01", "Астана қаласы", "город Астана", "Astana", "Astana", 51.17, 71.45, 1.43, 1.00, 12, 6, 6, 6, 5, 8),
    ("KZ-75", "ALA", "02", "Алматы қаласы", "город Алматы", "Almaty", "Almaty", 43.24, 76.89, 2.23, 1.00, 14, 8, 8, 8, 5, 7),
    ("KZ-79", "SHY", "17", "Шымкент қаласы", "город Шымкент", "Shymkent", "Shymkent", 42.34, 69.59, 1.22, 1.00, 9, 5, 4, 5, 3, 6),
]

# Rough bounding box of each region (lat_min, lat_max, lon_min, lon_max), used only by the
# self-check to catch a point put into the wrong region. Approximate, generous.
REGION_BOX = {
    "KZ-10": (46.2, 51.3, 76.5, 84.2), "KZ-11": (50.0, 53.9, 65.0, 74.6),
    "KZ-15": (45.5, 51.6, 53.4, 62.6), "KZ-19": (42.4, 46.7, 74.4, 80.6),
    "KZ-23": (45.4, 49.6, 48.8, 56.2), "KZ-27": (48.0, 51.8, 46.5, 55.6),
    "KZ-31": (42.3, 45.7, 69.0, 75.8), "KZ-33": (43.9, 47.1, 76.5, 82.9),
    "KZ-35": (45.5, 51.6, 69.5, 78.6), "KZ-39": (49.0, 54.6, 60.0, 68.0),
    "KZ-43": (43.3, 47.6, 58.5, 68.6), "KZ-47": (41.2, 46.4, 50.0, 56.8),
    "KZ-55": (50.3, 54.1, 73.4, 79.2), "KZ-59": (53.0, 55.5, 65.4, 73.6),
    "KZ-61": (40.5, 45.5, 65.5, 71.6), "KZ-62": (45.0, 50.3, 63.0, 73.0),
    "KZ-63": (47.0, 51.6, 81.0, 87.4), "KZ-71": (50.90, 51.40, 71.10, 71.80),
    "KZ-75": (43.08, 43.45, 76.65, 77.15), "KZ-79": (42.18, 42.52, 69.35, 69.85),
}

# Towns outside the regional centres that have their own city substation(s):
# region, town, lat, lon, substations.
SUBSTATION_TOWNS = [
    ("KZ-35", "Temirtau", 50.06, 72.96, 2),
    ("KZ-35", "Shakhtinsk", 49.71, 72.59, 1),
    ("KZ-35", "Balkhash", 46.85, 74.98, 1),
    ("KZ-55", "Ekibastuz", 51.73, 75.32, 1),
    ("KZ-55", "Aksu", 52.04, 76.93, 1),
    ("KZ-39", "Rudny", 52.96, 63.12, 1),
    ("KZ-39", "Lisakovsk", 52.55, 62.49, 1),
    ("KZ-47", "Zhanaozen", 43.34, 52.86, 1),
    ("KZ-62", "Satpayev", 47.90, 67.53, 1),
    ("KZ-63", "Ridder", 50.34, 83.51, 1),
    ("KZ-11", "Stepnogorsk", 52.35, 71.89, 1),
    ("KZ-23", "Kulsary", 46.95, 54.02, 1),
]

# District departments: (place, lat, lon, kind) with kind
#   t = town (district or regional significance; has a town hospital),
#   d = district centre (has a central district hospital),
#   v = other large village (EMS department only).
# Listed roughly from the largest place down; positions approximate.
DISTRICTS = {
    "KZ-10": [("Ayagoz", 47.97, 80.44, "t"), ("Kurchatov", 50.75, 78.54, "t"), ("Shar", 49.59, 81.05, "t"),
              ("Urzhar", 47.09, 81.63, "d"), ("Makanshy", 46.80, 82.00, "d"), ("Aksuat", 47.76, 82.80, "d"),
              ("Kokpekty", 48.75, 82.37, "d"), ("Kalbatau", 49.33, 81.57, "d"), ("Borodulikha", 50.72, 80.93, "d"),
              ("Beskaragai", 50.90, 79.48, "d"), ("Karaul", 48.95, 79.25, "d"), ("Barshatas", 48.17, 78.67, "v"),
              ("Zhangiztobe", 49.22, 81.22, "v"), ("Novaya Shulba", 50.53, 81.33, "v")],
    "KZ-11": [("Shchuchinsk", 52.93, 70.20, "t"), ("Atbasar", 51.81, 68.36, "t"), ("Kosshy", 51.03, 71.32, "t"),
              ("Makinsk", 52.63, 70.42, "t"), ("Akkol", 51.99, 70.94, "t"), ("Esil", 51.96, 66.40, "t"),
              ("Ereymentau", 51.62, 73.10, "t"), ("Derzhavinsk", 51.10, 66.32, "t"), ("Stepnyak", 52.83, 70.78, "t"),
              ("Zerendi", 52.90, 69.15, "d"), ("Shortandy", 51.70, 71.00, "d"), ("Akmol", 51.08, 71.13, "d"),
              ("Arshaly", 50.83, 72.17, "d"), ("Astrakhanka", 51.53, 69.80, "d"), ("Egindikol", 51.05, 69.45, "d"),
              ("Korgalzhyn", 50.58, 70.01, "d"), ("Balkashino", 52.52, 68.75, "d"), ("Zhaksy", 51.91, 67.31, "d"),
              ("Burabay", 53.08, 70.31, "v")],
    "KZ-15": [("Kandyagash", 49.47, 57.42, "t"), ("Khromtau", 50.25, 58.43, "t"), ("Alga", 49.90, 57.34, "t"),
              ("Shalkar", 47.83, 59.62, "t"), ("Emba", 48.83, 58.15, "t"), ("Temir", 49.14, 57.13, "t"),
              ("Martuk", 50.75, 56.52, "d"), ("Kobda", 50.15, 55.65, "d"), ("Badamsha", 50.57, 58.28, "d"),
              ("Karabutak", 49.95, 60.10, "d"), ("Shubarkuduk", 49.14, 56.49, "d"), ("Oiyl", 49.06, 54.69, "d"),
              ("Karauylkeldi", 48.50, 55.20, "d"), ("Irgiz", 48.62, 61.27, "d"), ("Kenkiyak", 48.58, 57.05, "v")],
    "KZ-19": [("Esik", 43.36, 77.45, "t"), ("Talgar", 43.30, 77.24, "t"), ("Kaskelen", 43.20, 76.62, "t"),
              ("Uzynagash", 43.22, 76.31, "d"), ("Otegen Batyr", 43.42, 77.06, "d"), ("Bakanas", 44.80, 76.27, "d"),
              ("Chundzha", 43.54, 79.46, "d"), ("Kegen", 42.98, 79.22, "d"), ("Narynkol", 42.72, 80.17, "d"),
              ("Shelek", 43.60, 78.25, "v"), ("Turgen", 43.40, 77.59, "v"), ("Boralday", 43.36, 76.86, "v"),
              ("Shamalgan", 43.37, 76.62, "v"), ("Zhetygen", 43.70, 77.13, "v"), ("Bakbakty", 44.47, 76.63, "v"),
              ("Kurty", 44.13, 75.93, "v"), ("Fabrichny", 43.18, 76.42, "v"), ("Baiseit", 43.47, 77.28, "v"),
              ("Saty", 43.05, 78.43, "v")],
    "KZ-23": [("Makat", 47.65, 53.32, "d"), ("Inderbor", 48.55, 51.78, "d"), ("Akkystau", 47.23, 51.00, "d"),
              ("Ganyushkino", 46.60, 49.27, "d"), ("Mukur", 48.05, 53.85, "d"), ("Makhambet", 47.67, 51.58, "d"),
              ("Dossor", 47.53, 52.98, "v"), ("Kosshagyl", 46.87, 53.86, "v")],
    "KZ-27": [("Aksai", 51.17, 53.00, "t"), ("Chapaev", 50.20, 51.17, "d"), ("Peremetnoe", 51.20, 50.85, "d"),
              ("Zhangala", 49.22, 50.30, "d"), ("Zhanibek", 49.42, 46.85, "d"), ("Karatobe", 49.70, 53.52, "d"),
              ("Kaztalov", 49.76, 48.69, "d"), ("Zhympity", 50.25, 52.58, "d"), ("Taskala", 51.11, 50.29, "d"),
              ("Fedorovka", 51.26, 52.00, "d"), ("Shyngyrlau", 51.10, 54.08, "d"), ("Saykhin", 48.82, 46.77, "d")],
    "KZ-31": [("Shu", 43.60, 73.76, "t"), ("Zhanatas", 43.56, 69.74, "t"), ("Karatau", 43.18, 70.46, "t"),
              ("Merke", 42.87, 73.18, "d"), ("Kordai", 43.04, 74.71, "d"), ("Sarykemer", 42.99, 71.50, "d"),
              ("Asa", 43.00, 71.25, "d"), ("Bauyrzhan Momyshuly", 42.61, 70.76, "d"), ("Kulan", 42.92, 72.72, "d"),
              ("Moiynkum", 44.30, 72.95, "d"), ("Otar", 43.54, 75.21, "v"), ("Akyrtobe", 42.97, 73.07, "v"),
              ("Sortobe", 42.95, 75.20, "v")],
    "KZ-33": [("Tekeli", 44.86, 78.76, "t"), ("Ushtobe", 45.25, 77.98, "t"), ("Zharkent", 44.16, 80.00, "t"),
              ("Sarkand", 45.41, 79.92, "t"), ("Usharal", 46.17, 80.94, "d"), ("Zhansugurov", 45.38, 79.48, "d"),
              ("Karabulak", 44.91, 78.49, "d"), ("Saryozek", 44.36, 77.97, "d"), ("Balpyk bi", 44.90, 78.22, "d"),
              ("Lepsy", 46.23, 78.93, "v"), ("Dostyk", 45.25, 82.48, "v"), ("Koktal", 44.07, 79.75, "v"),
              ("Kabanbay", 45.83, 80.60, "v")],
    "KZ-35": [("Saran", 49.80, 72.85, "t"), ("Abay", 49.63, 72.85, "t"), ("Karkaraly", 49.41, 75.47, "t"),
              ("Priozersk", 46.03, 73.70, "t"), ("Botakara", 50.05, 73.72, "d"), ("Kiyevka", 50.26, 71.55, "d"),
              ("Osakarovka", 50.56, 72.57, "d"), ("Aksu-Ayuly", 48.77, 73.67, "d"), ("Aktogay", 47.45, 74.95, "d"),
              ("Topar", 49.52, 72.81, "v"), ("Dolinka", 49.67, 72.68, "v"), ("Tokarevka", 50.15, 73.17, "v"),
              ("Gulshad", 46.62, 74.35, "v")],
    "KZ-39": [("Arkalyk", 50.25, 66.92, "t"), ("Zhitikara", 52.19, 61.20, "t"), ("Tobyl", 53.20, 63.68, "d"),
              ("Auliekol", 52.37, 64.10, "d"), ("Denisovka", 52.45, 61.77, "d"), ("Torgai", 49.63, 63.50, "d"),
              ("Amangeldy", 50.18, 65.19, "d"), ("Kamysty", 51.65, 62.37, "d"), ("Karabalyk", 53.85, 62.06, "d"),
              ("Karasu", 52.71, 65.48, "d"), ("Borovskoy", 53.80, 64.18, "d"), ("Karamendy", 51.63, 64.16, "d"),
              ("Sarykol", 53.32, 65.55, "d"), ("Fedorovka", 53.63, 62.71, "d"), ("Uzunkol", 54.00, 65.32, "d"),
              ("Taranovskoe", 52.93, 62.48, "d"), ("Obagan", 53.43, 64.00, "d")],
    "KZ-43": [("Aral", 46.80, 61.66, "t"), ("Ayteke Bi", 45.85, 62.15, "d"), ("Zhosaly", 45.49, 64.08, "d"),
              ("Zhalagash", 45.08, 64.67, "d"), ("Terenozek", 44.96, 64.99, "d"), ("Shieli", 44.17, 66.74, "d"),
              ("Zhanakorgan", 43.91, 67.25, "d"), ("Saksaulsky", 47.08, 61.17, "v"), ("Tasboget", 44.77, 65.55, "v")],
    "KZ-47": [("Fort-Shevchenko", 44.51, 50.26, "t"), ("Beyneu", 45.32, 55.19, "d"), ("Shetpe", 44.17, 52.12, "d"),
              ("Kuryk", 43.20, 51.65, "d"), ("Mangystau", 43.74, 51.31, "d"), ("Zhetybai", 43.59, 52.08, "v"),
              ("Baskuduk", 43.66, 51.40, "v")],
    "KZ-55": [("Bayanaul", 50.79, 75.70, "d"), ("Zhelezinka", 53.54, 75.31, "d"), ("Irtyshsk", 53.33, 75.46, "d"),
              ("Terenkol", 53.07, 76.11, "d"), ("Akku", 51.48, 77.77, "d"), ("Koktobe", 51.52, 77.48, "d"),
              ("Uspenka", 52.91, 77.39, "d"), ("Sharbakty", 52.48, 78.15, "d"), ("Aktogay", 53.00, 75.97, "d"),
              ("Pavlodarskoe", 52.33, 76.85, "d"), ("Maikain", 51.45, 75.80, "v")],
    "KZ-59": [("Bulaevo", 54.90, 70.44, "t"), ("Taiynsha", 53.85, 69.77, "t"), ("Mamlyut", 54.94, 68.54, "t"),
              ("Sergeyevka", 53.88, 67.42, "t"), ("Saumalkol", 53.29, 68.10, "d"), ("Smirnovo", 54.51, 69.42, "d"),
              ("Novoishimskoe", 53.20, 66.77, "d"), ("Yavlenka", 54.35, 68.45, "d"), ("Presnovka", 54.67, 67.15, "d"),
              ("Beskol", 54.73, 69.05, "d"), ("Timiryazev", 53.75, 66.49, "d"), ("Kishkenekol", 53.64, 72.34, "d")],
    "KZ-61": [("Kentau", 43.52, 68.51, "t"), ("Saryagash", 41.46, 69.17, "t"), ("Zhetysai", 40.77, 68.33, "t"),
              ("Arys", 42.43, 68.80, "t"), ("Lenger", 42.18, 69.88, "t"), ("Shardara", 41.25, 67.97, "t"),
              ("Myrzakent", 40.66, 68.55, "d"), ("Kazygurt", 41.76, 69.38, "d"), ("Temirlan", 42.60, 69.26, "d"),
              ("Shauildir", 42.78, 68.36, "d"), ("Aksukent", 42.41, 69.86, "d"), ("Sholakkorgan", 43.77, 69.17, "d"),
              ("Turar Ryskulov", 42.48, 70.30, "d"), ("Shayan", 43.00, 69.38, "d"), ("Abai", 41.30, 69.22, "d"),
              ("Asykata", 40.89, 68.36, "v"), ("Atakent", 40.85, 68.50, "v"), ("Karabulak", 42.51, 69.79, "v"),
              ("Zhibek Zholy", 41.07, 69.31, "v"), ("Shornak", 43.17, 68.23, "v")],
    "KZ-62": [("Karazhal", 48.00, 70.79, "t"), ("Ulytau", 48.65, 67.00, "d"), ("Atasu", 48.68, 71.64, "d"),
              ("Zhezdy", 48.05, 67.06, "v")],
    "KZ-63": [("Altai", 49.73, 84.27, "t"), ("Shemonaikha", 50.63, 81.91, "t"), ("Zaysan", 47.47, 84.87, "t"),
              ("Serebryansk", 49.69, 83.30, "t"), ("Glubokoe", 50.14, 82.31, "d"), ("Ulken Naryn", 49.21, 84.51, "d"),
              ("Kurshim", 48.57, 83.65, "d"), ("Samarskoe", 49.03, 83.35, "d"), ("Akzhar", 47.60, 83.90, "d"),
              ("Kasym Kaysenov", 49.84, 82.45, "d"), ("Katon-Karagay", 49.17, 85.61, "v")],
}

STREETS = ["Abai Avenue", "Tole bi Street", "Kabanbay Batyr Street", "Satpayev Street", "Baitursynuly Street",
           "Zheltoksan Street", "Respublika Avenue", "Tauelsizdik Avenue", "Auezov Street", "Seifullin Street",
           "Dostyk Avenue", "Al-Farabi Avenue", "Raiymbek Avenue", "Bukhar Zhyrau Avenue", "Turan Avenue",
           "Kazybek bi Street", "Zhambyl Street", "Abylai Khan Avenue", "Gagarin Street", "Kurmangazy Street",
           "Mangilik El Avenue", "Nauryzbay Batyr Street", "Aiteke bi Street", "Makhambet Street", "Amangeldy Street"]

# ---------------------------------------------------------------------------
# Airfields (shared/reference/kazakhstan.md): code, name, region, lat, lon, runway m,
# opens, closes (equal = 24 h).
# ---------------------------------------------------------------------------
AIRPORTS = [
    ("UACC", "Astana International Airport", "KZ-71", 51.02, 71.47, 3500, "00:00", "00:00"),
    ("UAAA", "Almaty International Airport", "KZ-75", 43.35, 77.04, 4400, "00:00", "00:00"),
    ("UAII", "Shymkent International Airport", "KZ-79", 42.36, 69.48, 3300, "00:00", "00:00"),
    ("UATT", "Aktobe Airport", "KZ-15", 50.25, 57.21, 3200, "00:00", "00:00"),
    ("UATG", "Atyrau Airport", "KZ-23", 47.12, 51.82, 3000, "00:00", "00:00"),
    ("UATE", "Aktau Airport", "KZ-47", 43.86, 51.09, 3050, "00:00", "00:00"),
    ("UARR", "Oral Ak Zhol Airport", "KZ-27", 51.15, 51.54, 2400, "00:00", "00:00"),
    ("UAKK", "Karaganda Sary-Arka Airport", "KZ-35", 49.67, 73.33, 3300, "00:00", "00:00"),
    ("UAUU", "Kostanay Airport", "KZ-39", 53.21, 63.55, 2500, "00:00", "00:00"),
    ("UAOO", "Kyzylorda Korkyt Ata Airport", "KZ-43", 44.71, 65.59, 3000, "00:00", "00:00"),
    ("UASP", "Pavlodar Airport", "KZ-55", 52.20, 77.07, 2500, "00:00", "00:00"),
    ("UACP", "Petropavl Airport", "KZ-59", 54.77, 69.18, 2500, "07:00", "22:00"),
    ("UASK", "Oskemen Airport", "KZ-63", 50.04, 82.49, 2500, "00:00", "00:00"),
    ("UASS", "Semey Airport", "KZ-10", 50.35, 80.23, 3100, "00:00", "00:00"),
    ("UAKD", "Zhezkazgan Airport", "KZ-62", 47.71, 67.73, 2600, "07:00", "22:00"),
    ("UADD", "Taraz Aulie-Ata Airport", "KZ-31", 42.85, 71.30, 3000, "00:00", "00:00"),
    ("UAAT", "Taldykorgan Airport", "KZ-33", 45.13, 78.45, 2400, "07:00", "22:00"),
    ("UAIT", "Turkistan Hazret Sultan Airport", "KZ-61", 43.31, 68.55, 3300, "00:00", "00:00"),
    ("UACK", "Kokshetau Airport", "KZ-11", 53.33, 69.59, 2500, "07:00", "22:00"),
    ("UAAH", "Balkhash Airport", "KZ-35", 46.89, 75.00, 2300, "08:00", "20:00"),
]

# District airstrips (unpaved, daylight only): code, place, region, lat, lon, runway m.
AIRSTRIPS = [
    ("KZ-ARAL", "Aral", "KZ-43", 46.83, 61.62, 1200), ("KZ-AYTB", "Ayteke Bi", "KZ-43", 45.83, 62.18, 900),
    ("KZ-SHLK", "Shalkar", "KZ-15", 47.85, 59.60, 1200), ("KZ-IRGZ", "Irgiz", "KZ-15", 48.60, 61.25, 800),
    ("KZ-KRKL", "Karauylkeldi", "KZ-15", 48.48, 55.18, 700), ("KZ-TORG", "Torgai", "KZ-39", 49.61, 63.48, 900),
    ("KZ-AMGL", "Amangeldy", "KZ-39", 50.16, 65.22, 800), ("KZ-ULTU", "Ulytau", "KZ-62", 48.63, 67.03, 800),
    ("KZ-KRZH", "Karazhal", "KZ-62", 48.02, 70.76, 1000), ("KZ-ATSU", "Atasu", "KZ-62", 48.70, 71.60, 700),
    ("KZ-KKRL", "Karkaraly", "KZ-35", 49.43, 75.43, 1100), ("KZ-AKTG", "Aktogay", "KZ-35", 47.47, 74.92, 900),
    ("KZ-BYNL", "Bayanaul", "KZ-55", 50.81, 75.66, 900), ("KZ-AYGZ", "Ayagoz", "KZ-10", 47.95, 80.40, 1200),
    ("KZ-URZH", "Urzhar", "KZ-10", 47.11, 81.60, 1200), ("KZ-ZSAN", "Zaysan", "KZ-63", 47.49, 84.90, 1200),
    ("KZ-UNRN", "Ulken Naryn", "KZ-63", 49.19, 84.48, 800), ("KZ-USHR", "Usharal", "KZ-33", 46.19, 80.90, 1200),
    ("KZ-BYNU", "Beyneu", "KZ-47", 45.30, 55.16, 1100), ("KZ-MNKM", "Moiynkum", "KZ-31", 44.28, 72.92, 700),
    ("KZ-SHLG", "Sholakkorgan", "KZ-61", 43.75, 69.14, 900), ("KZ-KZTL", "Kaztalov", "KZ-27", 49.74, 48.72, 900),
    ("KZ-ZHNB", "Zhanibek", "KZ-27", 49.40, 46.88, 700), ("KZ-INDR", "Inderbor", "KZ-23", 48.53, 51.81, 800),
    ("KZ-KSHK", "Kishkenekol", "KZ-59", 53.62, 72.31, 700), ("KZ-NRNK", "Narynkol", "KZ-19", 42.70, 80.14, 600),
]

# Regions whose main hospital has a helipad (one helipad airfield each), and whether it is lit.
HELIPAD_REGIONS = [("KZ-71", True), ("KZ-75", True), ("KZ-79", True), ("KZ-35", True), ("KZ-15", True),
                   ("KZ-55", False), ("KZ-63", True), ("KZ-10", False), ("KZ-39", False), ("KZ-43", False),
                   ("KZ-31", False), ("KZ-23", True), ("KZ-27", False), ("KZ-47", True), ("KZ-59", False),
                   ("KZ-11", False)]
BURNS_REGIONS = {"KZ-75", "KZ-71", "KZ-79", "KZ-35", "KZ-15"}
TOXICOLOGY_REGIONS = {"KZ-75", "KZ-71", "KZ-79", "KZ-35", "KZ-15", "KZ-55", "KZ-63"}

# ---------------------------------------------------------------------------
# Medical aviation: airlines (the 11 with an NCCEM contract), types, fleets, contracts.
# ---------------------------------------------------------------------------
# code, name, registered (YYMM for the BIN), certificate issued, certificate expires.
AIRLINES = [
    ("KAZAVIASPAS", "Kazaviaspas JSC", "0811", "2024-03-15", "2027-03-14"),
    ("EAST_WING", "East Wing JSC", "0504", "2025-02-10", "2028-02-09"),
    ("AERO_AK", "AERO AK LLP", "1206", "2024-06-01", "2027-05-31"),
    ("ORLAN_2000", "Orlan-2000 Airline LLP", "0003", "2025-04-20", "2028-04-19"),
    ("NAVIGATOR_AK", "Navigator AK LLP", "1409", "2024-09-05", "2027-09-04"),
    ("TARAZ_ZHANA_ALEM", "Taraz Zhana Alem LLP", "1102", "2023-12-14", "2026-12-13"),  # expires within 30 days
    ("DALA_AIR", "DALA AIR LLP", "1707", "2025-07-01", "2028-06-30"),
    ("ZHETYSU_AK", "Zhetysu AK JSC", "0210", "2024-11-28", "2027-11-27"),
    ("ASIA_CONTINENTAL", "Asia Continental Airlines LLP", "9808", "2025-01-20", "2028-01-19"),
    ("ZHEZKAZGAN_AIR", "Zhezkazgan-Air JSC", "9905", "2024-05-16", "2027-05-15"),
    ("DAP_AEROSERVICE", "DAP Aeroservice Group LLP", "1511", "2023-11-06", "2026-11-05"),  # already expired
]

# model: kind, cruise km/h, range km, min runway m, surfaces, night-capable by default,
# pressurised, stretchers, seats, registration prefix (UP- + prefix + 2-digit serial).
MODELS = {
    "L-410 UVP-E20": ("plane", 300, 1400, 700, ["paved", "unpaved"], True, False, 2, 6, "L41"),
    "Cessna 208B": ("plane", 340, 1700, 650, ["paved", "unpaved"], True, False, 1, 4, "C28"),
    "Pilatus PC-12": ("plane", 500, 3300, 800, ["paved", "unpaved"], True, True, 2, 3, "P12"),
    "King Air 350": ("plane", 540, 2800, 1000, ["paved"], True, True, 2, 3, "B35"),
    "Yak-40": ("plane", 500, 1800, 1800, ["paved"], True, False, 2, 10, "Y40"),
    "An-2": ("plane", 180, 900, 400, ["paved", "unpaved"], False, False, 1, 6, "A20"),
    "Challenger 850": ("plane", 820, 4500, 1800, ["paved"], True, True, 2, 6, "CL8"),
    "Mi-8": ("helicopter", 230, 500, 0, ["paved", "unpaved"], False, False, 4, 8, "MI8"),
    "H145": ("helicopter", 240, 650, 0, ["paved", "unpaved"], False, False, 1, 3, "H45"),
    "H125": ("helicopter", 230, 600, 0, ["paved", "unpaved"], False, False, 1, 2, "H25"),
    "Bell 407": ("helicopter", 240, 600, 0, ["paved", "unpaved"], False, False, 1, 2, "B40"),
    "Ansat": ("helicopter", 250, 500, 0, ["paved", "unpaved"], False, False, 1, 2, "ANS"),
}

# Fleet, one row per aircraft: airline, model, base, medical module, tracker, year built,
# status, night-capable override (None = model default), contract key (None = not covered).
A, M, X = "available", "maintenance", "on_mission"
FLEET = [
    ("KAZAVIASPAS", "Mi-8", "UACC", "intensive_care", True, 2012, A, True, "KAZ-MI8"),
    ("KAZAVIASPAS", "Mi-8", "UAKK", "basic", True, 2009, A, None, "KAZ-MI8"),
    ("KAZAVIASPAS", "Mi-8", "UASK", "basic", True, 1991, M, None, "KAZ-MI8"),
    ("KAZAVIASPAS", "Mi-8", "UAAA", "basic", True, 2014, A, None, "KAZ-MI8"),
    ("KAZAVIASPAS", "H145", "UACC", "intensive_care", True, 2019, X, True, "KAZ-LH"),
    ("KAZAVIASPAS", "H145", "UAAA", "intensive_care", True, 2018, A, True, "KAZ-LH"),
    ("KAZAVIASPAS", "H145", "UAII", "intensive_care", True, 2020, A, None, "KAZ-LH"),
    ("KAZAVIASPAS", "H145", "UATT", "intensive_care", True, 2016, A, None, "KAZ-LH"),
    ("KAZAVIASPAS", "H145", "UAOO", "neonatal", True, 2021, A, None, "KAZ-LH"),
    ("KAZAVIASPAS", "H125", "UAKK", "basic", True, 2013, A, None, "KAZ-LH"),
    ("KAZAVIASPAS", "H125", "UASP", "basic", True, 2015, A, None, "KAZ-LH"),
    ("EAST_WING", "Challenger 850", "UAAA", "intensive_care", True, 2009, A, None, "EW-JET"),
    ("EAST_WING", "H125", "UAAA", "basic", True, 2017, A, None, "EW-HEL"),
    ("EAST_WING", "H125", "UAAT", "basic", True, 2012, A, None, "EW-HEL"),
    ("EAST_WING", "H145", "UACC", "intensive_care", True, 2022, A, None, "EW-HEL"),
    ("AERO_AK", "L-410 UVP-E20", "UAUU", "intensive_care", True, 2016, A, None, "AAK-L410"),
    ("AERO_AK", "L-410 UVP-E20", "UAUU", "basic", True, 2013, A, None, "AAK-L410"),
    ("AERO_AK", "L-410 UVP-E20", "UACP", "none", False, 2011, A, None, "AAK-L410"),
    ("AERO_AK", "An-2", "UAUU", "basic", True, 1987, A, None, "AAK-AN2"),
    ("AERO_AK", "An-2", "UACK", "none", False, 1983, M, None, None),
    ("ORLAN_2000", "Mi-8", "UAAA", "basic", True, 2008, A, None, "ORL-MI8"),
    ("ORLAN_2000", "Mi-8", "UAAT", "basic", False, 1989, A, None, "ORL-MI8"),
    ("ORLAN_2000", "Mi-8", "UASS", "none", False, 1990, A, None, "ORL-MI8"),
    ("ORLAN_2000", "Bell 407", "UAAA", "basic", True, 2014, A, None, "ORL-B407"),
    ("NAVIGATOR_AK", "Pilatus PC-12", "UACC", "intensive_care", True, 2018, X, None, "NAV-PC12"),
    ("NAVIGATOR_AK", "Pilatus PC-12", "UATT", "neonatal", True, 2021, A, None, "NAV-PC12"),
    ("NAVIGATOR_AK", "Cessna 208B", "UATG", "basic", True, 2014, A, None, "NAV-C208"),
    ("NAVIGATOR_AK", "Cessna 208B", "UARR", "none", True, 2010, A, None, "NAV-C208"),
    ("TARAZ_ZHANA_ALEM", "An-2", "UADD", "none", False, 1984, A, None, "TZA-AN2"),
    ("TARAZ_ZHANA_ALEM", "An-2", "UADD", "basic", False, 1988, A, None, "TZA-AN2"),
    ("TARAZ_ZHANA_ALEM", "An-2", "UAII", "none", True, 1986, A, None, "TZA-AN2"),
    ("TARAZ_ZHANA_ALEM", "L-410 UVP-E20", "UADD", "basic", True, 2012, A, None, "TZA-L410"),
    ("DALA_AIR", "Cessna 208B", "UAOO", "basic", True, 2016, A, None, "DAL-C208"),
    ("DALA_AIR", "Cessna 208B", "UAIT", "basic", True, 2019, M, None, "DAL-C208"),
    ("DALA_AIR", "Pilatus PC-12", "UAII", "intensive_care", True, 2015, A, None, "DAL-PC12"),
    ("ZHETYSU_AK", "An-2", "UAAT", "none", False, 1982, A, None, "ZAK-AN2"),
    ("ZHETYSU_AK", "An-2", "UAAT", "basic", True, 1989, A, None, "ZAK-AN2"),
    ("ZHETYSU_AK", "Mi-8", "UAAT", "basic", True, 2007, A, None, "ZAK-HEL"),
    ("ZHETYSU_AK", "Ansat", "UAAA", "basic", True, 2018, A, None, "ZAK-HEL"),
    ("ASIA_CONTINENTAL", "Yak-40", "UAAA", "basic", True, 1980, A, None, "ACA-YAK"),
    ("ASIA_CONTINENTAL", "Yak-40", "UAAA", "none", False, 1979, M, None, "ACA-YAK"),
    ("ASIA_CONTINENTAL", "L-410 UVP-E20", "UAAA", "basic", True, 2017, A, None, "ACA-L410"),
    ("ASIA_CONTINENTAL", "L-410 UVP-E20", "UATE", "basic", True, 2019, A, None, "ACA-L410"),
    ("ZHEZKAZGAN_AIR", "L-410 UVP-E20", "UAKD", "basic", True, 2010, A, None, "ZHA-L410"),
    ("ZHEZKAZGAN_AIR", "L-410 UVP-E20", "UAKD", "intensive_care", True, 2015, A, None, "ZHA-L410"),
    ("ZHEZKAZGAN_AIR", "L-410 UVP-E20", "UAAH", "basic", True, 2012, A, None, "ZHA-L410"),
    ("ZHEZKAZGAN_AIR", "An-2", "UAKD", "none", False, 1985, A, None, "ZHA-AN2"),
    ("ZHEZKAZGAN_AIR", "An-2", "UAKK", "basic", True, 1988, A, None, "ZHA-AN2"),
    ("DAP_AEROSERVICE", "King Air 350", "UACC", "intensive_care", True, 2013, A, None, "DAP-TP"),
    ("DAP_AEROSERVICE", "King Air 350", "UAKK", "neonatal", True, 2017, A, None, "DAP-TP"),
    ("DAP_AEROSERVICE", "Pilatus PC-12", "UASP", "basic", True, 2012, A, None, "DAP-TP"),
    ("DAP_AEROSERVICE", "Bell 407", "UACC", "basic", True, 2011, A, None, "DAP-HEL"),
    ("DAP_AEROSERVICE", "Ansat", "UASK", "none", True, 2016, A, None, None),
]

# Contracts: key, number, airline, starts, ends, tariff KZT per flight hour, readiness min.
CONTRACTS = [
    ("KAZ-MI8", "1/2026", "KAZAVIASPAS", "2026-01-05", "2027-12-31", 1450000, 90),
    ("KAZ-LH", "2/2026", "KAZAVIASPAS", "2026-01-05", "2027-12-31", 1100000, 60),
    ("EW-JET", "5/2025", "EAST_WING", "2025-03-01", "2027-02-28", 3500000, 120),
    ("EW-HEL", "6/2025", "EAST_WING", "2025-03-01", "2026-12-10", 1150000, 60),  # expires soon
    ("AAK-L410", "8/2025", "AERO_AK", "2025-04-01", "2027-03-31", 700000, 120),
    ("AAK-AN2", "9/2025", "AERO_AK", "2025-04-01", "2027-03-31", 350000, 90),
    ("ORL-MI8", "17/2026", "ORLAN_2000", "2026-02-01", "2026-10-01", 1400000, 120),  # expired
    ("ORL-B407", "18/2026", "ORLAN_2000", "2026-02-01", "2027-01-31", 950000, 60),
    ("NAV-PC12", "11/2025", "NAVIGATOR_AK", "2025-06-01", "2027-05-31", 1200000, 90),
    ("NAV-C208", "12/2025", "NAVIGATOR_AK", "2025-06-01", "2027-05-31", 600000, 90),
    ("TZA-AN2", "14/2025", "TARAZ_ZHANA_ALEM", "2025-07-01", "2027-06-30", 340000, 120),
    ("TZA-L410", "15/2025", "TARAZ_ZHANA_ALEM", "2025-07-01", "2027-06-30", 690000, 120),
    ("DAL-C208", "3/2026", "DALA_AIR", "2026-01-15", "2027-01-14", 580000, 90),
    ("DAL-PC12", "4/2026", "DALA_AIR", "2026-01-15", "2028-01-14", 1150000, 90),
    ("ZAK-AN2", "20/2025", "ZHETYSU_AK", "2025-09-01", "2027-08-31", 360000, 120),
    ("ZAK-HEL", "21/2025", "ZHETYSU_AK", "2025-09-01", "2027-08-31", 1250000, 90),
    ("ACA-YAK", "7/2026", "ASIA_CONTINENTAL", "2026-03-01", "2026-12-15", 950000, 180),  # expires soon
    ("ACA-L410", "8/2026", "ASIA_CONTINENTAL", "2026-03-01", "2028-02-29", 720000, 120),
    ("ZHA-L410", "10/2026", "ZHEZKAZGAN_AIR", "2026-04-01", "2028-03-31", 700000, 120),
    ("ZHA-AN2", "11/2026", "ZHEZKAZGAN_AIR", "2026-04-01", "2026-12-31", 350000, 120),  # expires soon
    ("DAP-TP", "23/2025", "DAP_AEROSERVICE", "2025-11-01", "2027-10-31", 1350000, 60),
    ("DAP-HEL", "24/2025", "DAP_AEROSERVICE", "2025-11-01", "2027-10-31", 900000, 90),
]

# ---------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------
rng = random.Random(SEED)


def apportion(total, weights, minimum=0):
    """Split an integer total in proportion to weights (largest remainder), each >= minimum."""
    n = len(weights)
    rest = total - minimum * n
    assert rest >= 0, (total, n, minimum)
    s = float(sum(weights))
    quotas = [rest * w / s for w in weights]
    out = [int(q) for q in quotas]
    left = rest - sum(out)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - out[i]), i))
    for i in order[:left]:
        out[i] += 1
    return [o + minimum for o in out]


def offset(lat, lon, km, bearing_deg):
    """A point km away from (lat, lon) along bearing (flat-earth, fine for a few km)."""
    b = math.radians(bearing_deg)
    dlat = km * math.cos(b) / 111.0
    dlon = km * math.sin(b) / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def near(lat, lon, max_km, min_km=0.0):
    return offset(lat, lon, rng.uniform(min_km, max_km), rng.uniform(0, 360))


def dist_km(a_lat, a_lon, b_lat, b_lon):
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def address(place):
    return f"{rng.choice(STREETS)} {rng.randint(1, 180)}, {place}"


def bin_check_digit(d11):
    """Kazakhstan BIN/IIN check digit for the first 11 digits, or None when invalid (10)."""
    s = sum((i + 1) * d for i, d in enumerate(d11)) % 11
    if s == 10:
        w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        s = sum(w[i] * d for i, d in enumerate(d11)) % 11
        if s == 10:
            return None
    return s


def bin_valid(b):
    if not re.fullmatch(r"\d{12}", b):
        return False
    c = bin_check_digit([int(ch) for ch in b[:11]])
    return c is not None and c == int(b[11])


def make_bin(yymm):
    """YYMM of registration, 4 (resident legal entity), 0 (head office), 5-digit serial, check."""
    while True:
        d11 = [int(c) for c in yymm] + [4, 0] + [rng.randint(0, 9) for _ in range(5)]
        c = bin_check_digit(d11)
        if c is not None:
            return "".join(map(str, d11)) + str(c)


PLATE_LETTERS = "ABCDEHKMOPTXY"
_plates = set()


def plate(region_plate_code):
    while True:
        p = f"{rng.randint(100, 999)}{''.join(rng.choice(PLATE_LETTERS) for _ in range(3))}{region_plate_code}"
        if p not in _plates:
            _plates.add(p)
            return p


def dump(name, rows):
    """One object per line: readable, small diffs, still plain JSON."""
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i, r in enumerate(rows):
            f.write("  " + json.dumps(r, ensure_ascii=False, separators=(", ", ": ")))
            f.write(",\n" if i < len(rows) - 1 else "\n")
        f.write("]\n")


# ---------------------------------------------------------------------------
# Generation.
# ---------------------------------------------------------------------------
def build():
    regions, stations, brigades, hospitals = [], [], [], []
    airfields, airlines, aircraft, contracts = [], [], [], []

    # Regions -----------------------------------------------------------------
    R = {}
    for (code, prefix, platec, kk, ru, en, centre, lat, lon, pop, urban, subs, chosp, phc, stroke, pci, radius) in REGIONS:
        R[code] = dict(prefix=prefix, plate=platec, centre=centre, lat=lat, lon=lon, pop=pop, urban=urban,
                       subs=subs, chosp=chosp, phc=phc, stroke=stroke, pci=pci, radius=radius, en=en)
        regions.append(dict(code=code, name_kk=kk, name_ru=ru, name_en=en, centre_name=centre, lat=lat, lon=lon,
                            population=int(round(pop * 1_000_000)), urban_share=urban, time_zone="Asia/Almaty",
                            utc_offset_minutes=300))

    # Crews and PHC teams per region --------------------------------------------
    order = [r[0] for r in REGIONS]
    ems_weight = [R[c]["pop"] * (R[c]["urban"] + RURAL_CREW_WEIGHT * (1 - R[c]["urban"])) for c in order]
    ems_per_region = dict(zip(order, apportion(PHYSICIAN_CREWS + FELDSHER_CREWS, ems_weight)))
    phc_per_region = dict(zip(order, apportion(PHC_MOBILE_TEAMS, [R[c]["pop"] for c in order])))

    station_crews = {}   # station code -> number of physician+feldsher crews
    station_info = {}    # station code -> (region, area_type)
    phc_teams = {}       # PHC organisation code -> teams
    places = {}          # region -> list of (place name, lat, lon, kind) for hospitals

    for code in order:
        r = R[code]
        num = [0]

        def next_code():
            num[0] += 1
            assert num[0] < 100, code
            return f"{r['prefix']}-{num[0]:02d}"

        def add_station(name, kind, lat, lon, place, area):
            sc = next_code()
            stations.append(dict(code=sc, name=name, kind=kind, region_code=code, lat=lat, lon=lon,
                                 address=address(place), area_type=area))
            station_info[sc] = (code, area)
            return sc

        urban_w, rural_w = {}, {}
        rs = add_station(f"{r['centre']} EMS Station (regional)", "regional_station", r["lat"], r["lon"],
                         r["centre"], "city")
        urban_w[rs] = 1.5
        for i in range(r["subs"]):
            bearing = 360.0 * i / r["subs"] + rng.uniform(-15, 15)
            lat, lon = offset(r["lat"], r["lon"], r["radius"] * rng.uniform(0.35, 0.85), bearing)
            sc = add_station(f"{r['centre']} EMS Substation No. {i + 1}", "city_substation", lat, lon,
                             r["centre"], "city")
            urban_w[sc] = 1.0
        towns = [t for t in SUBSTATION_TOWNS if t[0] == code]
        for (_, town, tlat, tlon, n) in towns:
            for i in range(n):
                lat, lon = near(tlat, tlon, 2.5)
                suffix = f" No. {i + 1}" if n > 1 else ""
                sc = add_station(f"{town} EMS Substation{suffix}", "city_substation", lat, lon, town, "city")
                urban_w[sc] = 1.0
        districts = DISTRICTS.get(code, [])
        for (place, plat, plon, pk) in districts:
            lat, lon = near(plat, plon, 1.0)
            label = "town" if pk == "t" else "district" if pk == "d" else "village"
            sc = add_station(f"{place} EMS Department ({label})", "district_department", lat, lon, place,
                             "city" if pk == "t" else "rural")
            if pk == "t":
                urban_w[sc], rural_w[sc] = 0.5, 0.8
            else:
                rural_w[sc] = 1.0 if pk == "d" else 0.6

        # Physician + feldsher crews of the region, split urban / rural.
        total = ems_per_region[code]
        urban_part = r["urban"] * total / (r["urban"] + RURAL_CREW_WEIGHT * (1 - r["urban"]))
        rural_part = total - urban_part
        codes = list(dict.fromkeys(list(urban_w) + list(rural_w)))
        su, sr = sum(urban_w.values()), sum(rural_w.values()) or 1.0
        target = [urban_part * urban_w.get(c, 0) / su + rural_part * rural_w.get(c, 0) / sr for c in codes]
        for c, n in zip(codes, apportion(total, target, minimum=1)):
            station_crews[c] = n

        # PHC organisations: in the centre, in the substation towns, and at district centres.
        teams = phc_per_region[code]
        urban_teams = round(teams * r["urban"])
        rural_teams = teams - urban_teams
        urban_orgs = {}
        for i in range(r["phc"]):
            lat, lon = near(r["lat"], r["lon"], r["radius"] * 0.8, 0.5)
            sc = add_station(f"{r['centre']} City Polyclinic No. {i + 1}", "phc_organisation", lat, lon,
                             r["centre"], "city")
            urban_orgs[sc] = 1.0
        for (_, town, tlat, tlon, _) in towns:
            lat, lon = near(tlat, tlon, 2.0)
            sc = add_station(f"{town} City Polyclinic", "phc_organisation", lat, lon, town, "city")
            urban_orgs[sc] = 0.6
        for c, n in zip(urban_orgs, apportion(urban_teams, list(urban_orgs.values()), minimum=1)):
            phc_teams[c] = n
        if rural_teams:
            seats = [d for d in districts if d[3] in "td"]
            k = max(1, min(len(seats), round(rural_teams / 3)))
            chosen = [seats[int(i * len(seats) / k)] for i in range(k)]
            rural_orgs = []
            for (place, plat, plon, pk) in chosen:
                lat, lon = near(plat, plon, 1.0)
                what = "Town Polyclinic" if pk == "t" else "Central District Hospital, outpatient department"
                rural_orgs.append(add_station(f"{place} {what} (PHC)", "phc_organisation", lat, lon, place,
                                              "city" if pk == "t" else "rural"))
            for c, n in zip(rural_orgs, apportion(rural_teams, [1.0] * len(rural_orgs), minimum=1)):
                phc_teams[c] = n

        places[code] = (towns, districts)

    # Physicians among the crews: mostly in the cities.
    ems_codes = list(station_crews)
    rate = [0.30 if station_info[c][1] == "city" else 0.06 for c in ems_codes]
    phys = dict(zip(ems_codes, apportion(PHYSICIAN_CREWS, [station_crews[c] * p for c, p in zip(ems_codes, rate)])))
    for c in ems_codes:
        assert phys[c] <= station_crews[c], c

    # Specialised crews: resuscitation and paediatric, in the regional centres.
    specialised = {}
    for code in order:
        big = code in ("KZ-71", "KZ-75", "KZ-79")
        centre_stations = [s["code"] for s in stations if s["region_code"] == code
                           and s["kind"] in ("regional_station", "city_substation")
                           and s["name"].startswith(R[code]["centre"])]
        resus, paed = (4, 4) if big else (2, 1)
        for i in range(resus):
            specialised.setdefault(centre_stations[i % len(centre_stations)], []).append("resuscitation")
        for i in range(paed):
            specialised.setdefault(centre_stations[(i + resus) % len(centre_stations)], []).append("paediatric")

    # Brigades ---------------------------------------------------------------------
    plate_of_region = {c: R[c]["plate"] for c in order}
    for s in stations:
        sc, rc, area = s["code"], s["region_code"], s["area_type"]
        n = 0
        kinds = []
        if sc in station_crews:
            kinds = ["physician"] * phys[sc] + ["feldsher"] * (station_crews[sc] - phys[sc])
            kinds += specialised.get(sc, [])
        elif sc in phc_teams:
            kinds = ["phc_mobile"] * phc_teams[sc]
        for kind in kinds:
            n += 1
            if kind == "phc_mobile":
                caps = ["ecg_transmission"] if rng.random() < 0.6 else []
                vtype, shift = "car", "weekday_08_20"
                in_service = rng.random() > 0.02
            else:
                if kind == "resuscitation":
                    caps = ["defibrillator", "ventilator", "ecg_transmission"]
                    if rng.random() < 0.25:
                        caps.append("bariatric")
                    vtype = "class_c"
                elif kind == "paediatric":
                    caps = ["defibrillator", "ventilator", "neonatal", "ecg_transmission"]
                    vtype = "class_c"
                elif kind == "physician":
                    caps = ["defibrillator", "ecg_transmission"]
                    if rng.random() < 0.3:
                        caps.insert(1, "ventilator")
                    vtype = "class_b"
                else:
                    caps = ["defibrillator", "ecg_transmission"] if rng.random() < 0.85 else ["defibrillator"]
                    vtype = "class_a" if area == "rural" and rng.random() < 0.15 else "class_b"
                x = rng.random()
                if kind in ("physician", "feldsher") and area == "city" and x < 0.14:
                    shift = "day_08_20"
                elif kind in ("physician", "feldsher") and area == "city" and x < 0.19:
                    shift = "night_20_08"
                else:
                    shift = "24h"
                in_service = rng.random() > 0.03
            brigades.append(dict(call_sign=f"{sc}-{n:02d}", kind=kind, capabilities=caps, station_code=sc,
                                 vehicle_plate=plate(plate_of_region[rc]), vehicle_type=vtype,
                                 shift_pattern=shift, in_service=in_service))
            assert n < 100, sc

    # Airfields ----------------------------------------------------------------------
    for (code, name, rc, lat, lon, rwy, opens, closes) in AIRPORTS:
        airfields.append(dict(code=code, name=name, kind="airport", region_code=rc, lat=lat, lon=lon,
                              runway_length_m=rwy, surface="paved", night_lighting=True,
                              opens_local=opens, closes_local=closes))
    for (code, place, rc, lat, lon, rwy) in AIRSTRIPS:
        airfields.append(dict(code=code, name=f"{place} airstrip", kind="airstrip", region_code=rc, lat=lat,
                              lon=lon, runway_length_m=rwy, surface="unpaved", night_lighting=False,
                              opens_local="07:00", closes_local="19:00"))
    fixed_wing = [a for a in airfields]  # hospitals' nearest airfield: airports and airstrips

    def nearest_airfield(lat, lon):
        return min(fixed_wing, key=lambda a: dist_km(lat, lon, a["lat"], a["lon"]))["code"]

    # Hospitals ------------------------------------------------------------------------
    helipad_lit = dict(HELIPAD_REGIONS)
    helipad_no = 0
    for code in order:
        r = R[code]
        pre, centre = r["prefix"], r["centre"]
        city_region = code in ("KZ-71", "KZ-75", "KZ-79")
        towns, districts = places[code]
        hn = [0]
        general = []  # in priority order for stroke / PCI

        def add(name, lat, lon, beds, trauma=0, perinatal=0, extra=(), helipad=False):
            hn[0] += 1
            h = dict(code=f"{pre}-H{hn[0]:02d}", name=name, region_code=code, lat=lat, lon=lon, profiles=[],
                     trauma_level=trauma, perinatal_level=perinatal, beds=beds, helipad=helipad,
                     nearest_airfield_code=nearest_airfield(lat, lon))
            h["_extra"] = list(extra)
            hospitals.append(h)
            return h

        main_name = f"{centre} City Emergency Hospital" if city_region else f"{centre} Regional Multidisciplinary Hospital"
        lat, lon = near(r["lat"], r["lon"], r["radius"] * 0.5)
        extra = ["toxicology"] if code in TOXICOLOGY_REGIONS else []
        main = add(main_name, lat, lon, rng.randrange(650, 1000, 10), trauma=1, extra=extra,
                   helipad=code in helipad_lit)
        general.append(main)
        for i in range(r["chosp"]):
            lat, lon = near(r["lat"], r["lon"], r["radius"] * 0.85, 1.0)
            extra = ["burns"] if (i == 1 and code in BURNS_REGIONS) else []
            h = add(f"{centre} City Hospital No. {i + 1}", lat, lon, rng.randrange(300, 650, 10),
                    trauma=2, perinatal=2 if i == 0 else 0, extra=extra)
            general.append(h)
        lat, lon = near(r["lat"], r["lon"], r["radius"] * 0.7, 1.0)
        add(f"{centre} {'City' if city_region else 'Regional'} Children's Hospital", lat, lon,
            rng.randrange(200, 450, 10), extra=["paediatric"])
        lat, lon = near(r["lat"], r["lon"], r["radius"] * 0.7, 1.0)
        add(f"{centre} {'City' if city_region else 'Regional'} Perinatal Centre", lat, lon,
            rng.randrange(150, 300, 10), perinatal=3)
        for (_, town, tlat, tlon, _) in towns:
            lat, lon = near(tlat, tlon, 2.0)
            general.append(add(f"{town} Multidisciplinary City Hospital", lat, lon, rng.randrange(200, 450, 10),
                               trauma=2, perinatal=2, extra=["paediatric"]))
        t_hosp, d_hosp = [], []
        for (place, plat, plon, pk) in districts:
            if pk == "v":
                continue
            lat, lon = near(plat, plon, 1.0)
            if pk == "t":
                t_hosp.append(add(f"{place} Town Hospital", lat, lon, rng.randrange(120, 300, 10),
                                  trauma=3, perinatal=2 if rng.random() < 0.4 else 1))
            else:
                d_hosp.append(add(f"{place} Central District Hospital", lat, lon, rng.randrange(50, 180, 10),
                                  trauma=3 if rng.random() < 0.5 else 0, perinatal=1))
        general += t_hosp + d_hosp
        assert len(general) >= r["stroke"], code
        for i, h in enumerate(general):
            if i < r["stroke"]:
                h["profiles"].append("stroke")
            if i < r["pci"]:
                h["profiles"].append("pci")
        if code in helipad_lit:
            helipad_no += 1
            airfields.append(dict(code=f"KZ-H{helipad_no:03d}", name=f"Helipad, {main['name']}", kind="helipad",
                                  region_code=code, lat=main["lat"], lon=round(main["lon"] + 0.0008, 4),
                                  runway_length_m=0, surface="none", night_lighting=helipad_lit[code],
                                  opens_local="00:00" if helipad_lit[code] else "07:00",
                                  closes_local="00:00" if helipad_lit[code] else "20:00"))
    for h in hospitals:
        extra = h.pop("_extra")
        if h["trauma_level"]:
            h["profiles"].append("trauma")
        if h["perinatal_level"]:
            h["profiles"].append("perinatal")
        h["profiles"] += extra
        canon = ["stroke", "pci", "trauma", "perinatal", "paediatric", "burns", "toxicology"]
        h["profiles"].sort(key=canon.index)

    # Airlines ----------------------------------------------------------------------------
    for i, (code, name, yymm, issued, expires) in enumerate(AIRLINES):
        airlines.append(dict(code=code, name=name, bin=make_bin(yymm),
                             certificate_number=f"KZ-MA-{int(issued[2:4]) * 100 + 11 + i * 7:04d}",
                             certificate_issued=issued, certificate_expires=expires, status="active"))

    # Aircraft ------------------------------------------------------------------------------
    per_prefix = {}
    covered = {}
    for (al, model, base, module, tracker, year, status, night, ckey) in FLEET:
        kind, speed, rng_km, rwy, surfaces, night_default, press, stretchers, seats, rp = MODELS[model]
        per_prefix[rp] = per_prefix.get(rp, 0) + 1
        reg = f"UP-{rp}{per_prefix[rp]:02d}"
        aircraft.append(dict(registration=reg, airline_code=al, kind=kind, model=model, cruise_speed_kmh=speed,
                             range_km=rng_km, min_runway_m=rwy, surfaces=surfaces,
                             helipad_capable=kind == "helicopter",
                             night_capable=night_default if night is None else night, pressurised=press,
                             medical_module=module, stretchers=stretchers, seats=seats,
                             tracker_installed=tracker, year_built=year, base_airfield_code=base, status=status))
        if ckey:
            covered.setdefault(ckey, []).append(reg)

    # Contracts -----------------------------------------------------------------------------
    for (key, number, al, starts, ends, tariff, ready) in CONTRACTS:
        contracts.append(dict(number=number, airline_code=al, starts=starts, ends=ends, aircraft=covered[key],
                              tariff_kzt_per_hour=tariff, readiness_minutes=ready, status="active"))

    return dict(regions=regions, stations=stations, brigades=brigades, hospitals=hospitals,
                airfields=airfields, airlines=airlines, aircraft=aircraft, contracts=contracts)


# ---------------------------------------------------------------------------
# Self-check on the written files.
# ---------------------------------------------------------------------------
ENUMS = {
    ("stations", "kind"): {"regional_station", "city_substation", "district_department", "phc_organisation"},
    ("stations", "area_type"): {"city", "rural"},
    ("brigades", "kind"): {"physician", "feldsher", "resuscitation", "paediatric", "phc_mobile"},
    ("brigades", "vehicle_type"): {"class_a", "class_b", "class_c", "car"},
    ("brigades", "shift_pattern"): {"24h", "day_08_20", "night_20_08", "weekday_08_20"},
    ("airfields", "kind"): {"airport", "airstrip", "helipad"},
    ("airfields", "surface"): {"paved", "unpaved", "none"},
    ("airlines", "status"): {"active", "suspended"},
    ("aircraft", "kind"): {"plane", "helicopter"},
    ("aircraft", "medical_module"): {"none", "basic", "intensive_care", "neonatal"},
    ("aircraft", "status"): {"available", "on_mission", "maintenance"},
    ("contracts", "status"): {"active", "suspended", "terminated"},
}
LIST_ENUMS = {
    ("brigades", "capabilities"): {"defibrillator", "ventilator", "neonatal", "ecg_transmission", "bariatric"},
    ("hospitals", "profiles"): {"stroke", "pci", "trauma", "perinatal", "paediatric", "burns", "toxicology"},
    ("aircraft", "surfaces"): {"paved", "unpaved"},
}
FIELDS = {
    "regions": "code name_kk name_ru name_en centre_name lat lon population urban_share time_zone utc_offset_minutes",
    "stations": "code name kind region_code lat lon address area_type",
    "brigades": "call_sign kind capabilities station_code vehicle_plate vehicle_type shift_pattern in_service",
    "hospitals": "code name region_code lat lon profiles trauma_level perinatal_level beds helipad nearest_airfield_code",
    "airfields": "code name kind region_code lat lon runway_length_m surface night_lighting opens_local closes_local",
    "airlines": "code name bin certificate_number certificate_issued certificate_expires status",
    "aircraft": ("registration airline_code kind model cruise_speed_kmh range_km min_runway_m surfaces helipad_capable "
                 "night_capable pressurised medical_module stretchers seats tracker_installed year_built "
                 "base_airfield_code status"),
    "contracts": "number airline_code starts ends aircraft tariff_kzt_per_hour readiness_minutes status",
}
KEYS = {"regions": "code", "stations": "code", "brigades": "call_sign", "hospitals": "code", "airfields": "code",
        "airlines": "code", "aircraft": "registration", "contracts": "number"}


def check():
    d = {}
    for name in FIELDS:
        with open(os.path.join(HERE, name + ".json"), encoding="utf-8") as f:
            d[name] = json.load(f)
    errors = []

    def expect(cond, msg):
        if not cond:
            errors.append(msg)

    # Field sets, uniqueness, enums.
    for name, fields in FIELDS.items():
        want = set(fields.split())
        seen = set()
        for row in d[name]:
            expect(set(row) == want, f"{name}: fields of {row.get(KEYS[name])}: {sorted(set(row) ^ want)}")
            k = row[KEYS[name]]
            expect(k not in seen, f"{name}: duplicate {k}")
            seen.add(k)
        for (f_name, field), allowed in ENUMS.items():
            if f_name == name:
                for row in d[name]:
                    expect(row[field] in allowed, f"{name} {row[KEYS[name]]}: {field}={row[field]}")
        for (f_name, field), allowed in LIST_ENUMS.items():
            if f_name == name:
                for row in d[name]:
                    expect(set(row[field]) <= allowed and len(set(row[field])) == len(row[field]),
                           f"{name} {row[KEYS[name]]}: {field}={row[field]}")
    plates = [b["vehicle_plate"] for b in d["brigades"]]
    expect(len(plates) == len(set(plates)), "brigades: duplicate vehicle plates")

    # References.
    regions = {r["code"] for r in d["regions"]}
    stations = {s["code"]: s for s in d["stations"]}
    airfields = {a["code"]: a for a in d["airfields"]}
    airlines = {a["code"]: a for a in d["airlines"]}
    aircraft = {a["registration"]: a for a in d["aircraft"]}
    for name in ("stations", "hospitals", "airfields"):
        for row in d[name]:
            expect(row["region_code"] in regions, f"{name} {row['code']}: region {row['region_code']}")
    for b in d["brigades"]:
        expect(b["station_code"] in stations, f"brigade {b['call_sign']}: station {b['station_code']}")
        expect(b["call_sign"].startswith(b["station_code"] + "-"), f"brigade {b['call_sign']}: call sign")
        st = stations.get(b["station_code"], {}).get("kind")
        expect((b["kind"] == "phc_mobile") == (st == "phc_organisation"), f"brigade {b['call_sign']}: on a {st}")
        if b["kind"] == "phc_mobile":
            expect(b["shift_pattern"] == "weekday_08_20", f"brigade {b['call_sign']}: PHC shift")
    for h in d["hospitals"]:
        expect(h["nearest_airfield_code"] in airfields, f"hospital {h['code']}: airfield {h['nearest_airfield_code']}")
        expect(("trauma" in h["profiles"]) == (h["trauma_level"] > 0), f"hospital {h['code']}: trauma level")
        expect(("perinatal" in h["profiles"]) == (h["perinatal_level"] > 0), f"hospital {h['code']}: perinatal level")
        expect(0 <= h["trauma_level"] <= 3 and 0 <= h["perinatal_level"] <= 3 and h["beds"] > 0, f"hospital {h['code']}")
    for a in d["aircraft"]:
        expect(a["airline_code"] in airlines, f"aircraft {a['registration']}: airline")
        base = airfields.get(a["base_airfield_code"])
        expect(base is not None and base["kind"] == "airport", f"aircraft {a['registration']}: base")
        expect(re.fullmatch(r"UP-[A-Z0-9]{3,6}", a["registration"]) is not None, f"registration {a['registration']}")
        expect(a["cruise_speed_kmh"] > 0 and a["range_km"] > 0, f"aircraft {a['registration']}: speed/range")
        heli = a["kind"] == "helicopter"
        expect(heli == a["helipad_capable"] and (a["min_runway_m"] == 0) == heli, f"aircraft {a['registration']}: heli")
        expect(a["pressurised"] == (a["model"] in ("Pilatus PC-12", "King Air 350", "Challenger 850")),
               f"aircraft {a['registration']}: pressurised")
    covered = {}
    for c in d["contracts"]:
        expect(c["airline_code"] in airlines, f"contract {c['number']}: airline")
        expect(re.fullmatch(r"\d{1,3}/20\d\d", c["number"]) is not None, f"contract {c['number']}: number")
        expect(c["starts"] < c["ends"], f"contract {c['number']}: dates")
        expect(c["tariff_kzt_per_hour"] > 0 and 60 <= c["readiness_minutes"] <= 180, f"contract {c['number']}")
        for reg in c["aircraft"]:
            expect(reg in aircraft and aircraft[reg]["airline_code"] == c["airline_code"],
                   f"contract {c['number']}: aircraft {reg}")
            covered[reg] = True
    for al, a in airlines.items():
        expect(bin_valid(a["bin"]), f"airline {al}: BIN {a['bin']} fails the checksum")
        expect(a["certificate_issued"] < a["certificate_expires"], f"airline {al}: certificate dates")
        mine = [r for r, x in aircraft.items() if x["airline_code"] == al]
        expect(sum(1 for r in mine if r in covered) * 2 > len(mine), f"airline {al}: contracts cover few aircraft")
        expect(1 <= sum(1 for c in d["contracts"] if c["airline_code"] == al) <= 2, f"airline {al}: contract count")

    # Coordinates: inside Kazakhstan and inside the (rough) box of their region.
    for name in ("regions", "stations", "hospitals", "airfields"):
        for row in d[name]:
            lat, lon = row["lat"], row["lon"]
            expect(40.5 <= lat <= 55.5 and 46.5 <= lon <= 87.5, f"{name} {row['code']}: ({lat}, {lon}) outside KZ")
            box = REGION_BOX[row.get("region_code", row["code"])]
            expect(box[0] <= lat <= box[1] and box[2] <= lon <= box[3],
                   f"{name} {row['code']}: ({lat}, {lon}) outside its region {row.get('region_code', row['code'])}")

    # Counts.
    def count(rows, **kw):
        return sum(1 for r in rows if all(r[k] == v for k, v in kw.items()))

    S, B, H, AF = d["stations"], d["brigades"], d["hospitals"], d["airfields"]
    expect(len(d["regions"]) == 20, "20 regions")
    expect(count(S, kind="regional_station") == 20, "20 regional stations")
    expect(len({s["region_code"] for s in S if s["kind"] == "regional_station"}) == 20, "one regional station each")
    expect(count(S, kind="city_substation") == 96, "96 city substations")
    expect(200 <= count(S, kind="district_department") <= 280, "200-280 district departments")
    expect(count(B, kind="physician") == PHYSICIAN_CREWS, f"{PHYSICIAN_CREWS} physician crews")
    expect(count(B, kind="feldsher") == FELDSHER_CREWS, f"{FELDSHER_CREWS} feldsher crews")
    expect(20 <= count(B, kind="resuscitation") + count(B, kind="paediatric") <= 100, "a few dozen specialised")
    expect(count(B, kind="phc_mobile") == PHC_MOBILE_TEAMS, f"{PHC_MOBILE_TEAMS} PHC mobile teams")
    expect(sum(1 for h in H if "stroke" in h["profiles"]) == STROKE_CENTRES, f"{STROKE_CENTRES} stroke centres")
    expect(sum(1 for h in H if "pci" in h["profiles"]) == PCI_CENTRES, f"{PCI_CENTRES} PCI centres")
    expect(count(AF, kind="airport") == 20, "20 airports")
    expect(20 <= count(AF, kind="airstrip") <= 30, "about 25 airstrips")
    expect(10 <= count(AF, kind="helipad") <= 20, "about 15 helipads")
    for a in AF:
        if a["kind"] == "helipad":
            expect(a["runway_length_m"] == 0 and a["surface"] == "none", f"helipad {a['code']}")
        if a["kind"] == "airstrip":
            expect(600 <= a["runway_length_m"] <= 1200 and a["surface"] == "unpaved", f"airstrip {a['code']}")
    expect(count(H, helipad=True) == count(AF, kind="helipad"), "a helipad airfield per hospital helipad")
    expect(len(d["airlines"]) == 11, "11 airlines")
    expect(45 <= len(d["aircraft"]) <= 60, "45-60 aircraft")

    # Dates around today: one certificate expiring within 30 days, one expired; contract 17/2026 expired.
    today = TODAY.isoformat()
    soon = (TODAY + dt.timedelta(days=30)).isoformat()
    certs = [a["certificate_expires"] for a in d["airlines"]]
    expect(sum(1 for e in certs if today <= e <= soon) == 1, "one certificate expiring within 30 days")
    expect(sum(1 for e in certs if e < today) == 1, "one certificate expired")
    c17 = [c for c in d["contracts"] if c["number"] == "17/2026"]
    expect(len(c17) == 1 and c17[0]["ends"] == "2026-10-01", "contract 17/2026 ended 2026-10-01")
    expect(any(today <= c["ends"] <= soon for c in d["contracts"]), "a contract expiring soon")
    expect(any(a["model"] == "An-2" and 1980 <= a["year_built"] <= 1989 for a in d["aircraft"]), "old An-2")
    expect(any(not a["tracker_installed"] for a in d["aircraft"]), "aircraft without tracker")
    expect(any(a["medical_module"] == "none" for a in d["aircraft"]), "aircraft without medical module")

    summary = {
        "regions": len(d["regions"]),
        "stations": {k: count(S, kind=k) for k in sorted({s["kind"] for s in S})},
        "brigades": {k: count(B, kind=k) for k in ("physician", "feldsher", "resuscitation", "paediatric", "phc_mobile")},
        "brigades_out_of_service": count(B, in_service=False),
        "hospitals": len(H),
        "stroke": sum(1 for h in H if "stroke" in h["profiles"]),
        "pci": sum(1 for h in H if "pci" in h["profiles"]),
        "hospitals_with_helipad": count(H, helipad=True),
        "airfields": {k: count(AF, kind=k) for k in ("airport", "airstrip", "helipad")},
        "airlines": len(d["airlines"]),
        "aircraft": len(d["aircraft"]),
        "aircraft_uncovered": sorted(r for r in aircraft if r not in covered),
        "contracts": len(d["contracts"]),
    }
    return errors, summary


def main():
    if "--check" not in sys.argv:
        data = build()
        for name, rows in data.items():
            dump(name + ".json", rows)
    errors, summary = check()
    print(json.dumps(summary, indent=2))
    if errors:
        print(f"{len(errors)} problem(s):", file=sys.stderr)
        for e in errors[:100]:
            print("  " + e, file=sys.stderr)
        sys.exit(1)
    print("self-check passed")


if __name__ == "__main__":
    main()
