"""Labels and values for the generic-forms test set (bench/forms.py --generic): business forms
unlike the shipped templates, in English, Traditional Chinese or both."""

from __future__ import annotations

import random

import values

# (English label, Chinese label, kind of value)
FIELDS = [
    ("Name", "姓名", "name"), ("Full Name", "全名", "name"), ("Surname", "姓氏", "surname"),
    ("Date of Birth", "出生日期", "date"), ("Telephone No.", "電話號碼", "phone"),
    ("Mobile", "手提電話", "phone"), ("Fax No.", "傳真號碼", "phone"),
    ("E-mail", "電郵地址", "email"), ("Address", "地址", "address"),
    ("Company Name", "公司名稱", "company"), ("Occupation", "職業", "occupation"),
    ("Nationality", "國籍", "country"), ("Reference No.", "檔案編號", "ref"),
    ("Account Number", "賬戶號碼", "account"), ("Amount", "金額", "amount"),
    ("Date", "日期", "date"), ("Contact Person", "聯絡人", "name"),
    ("Department", "部門", "department"), ("Position", "職位", "occupation"),
    ("Employer", "僱主", "company"), ("Monthly Income", "每月收入", "amount"),
    ("Passport No.", "護照號碼", "passport"), ("Emergency Contact", "緊急聯絡人", "name"),
    ("Vehicle Registration No.", "車輛登記號碼", "plate"), ("Licence No.", "牌照號碼", "ref"),
    ("Invoice No.", "發票編號", "ref"), ("Branch", "分行", "district"),
    ("District", "地區", "district"), ("Remarks", "備註", "remark"),
]
BLANK_LABELS = [("Signature", "簽署"), ("Official Use Only", "只供辦公室填寫"),
                ("Approved by", "批核人"), ("Stamp", "蓋印")]
QUESTIONS = [  # (en, zh, options)
    ("Gender", "性別", [("Male", "男"), ("Female", "女")]),
    ("Marital Status", "婚姻狀況", [("Single", "未婚"), ("Married", "已婚"), ("Other", "其他")]),
    ("Payment Method", "付款方式", [("Cash", "現金"), ("Cheque", "支票"), ("Transfer", "轉賬")]),
    ("Preferred Language", "語言", [("English", "英文"), ("Chinese", "中文")]),
    ("Services Required", "所需服務", [("Delivery", "送貨"), ("Installation", "安裝"),
                                        ("Repair", "維修")]),
]
TABLES = [  # (columns (en, zh, kind))
    [("Item", "項目", "item"), ("Quantity", "數量", "qty"), ("Unit Price", "單價", "amount")],
    [("Name", "姓名", "name"), ("Relationship", "關係", "relation"), ("Age", "年齡", "qty")],
    [("Date", "日期", "date"), ("Description", "說明", "item"), ("Amount", "金額", "amount")],
]
TITLES = [("Customer Registration Form", "客戶登記表"), ("Service Request", "服務申請表"),
          ("Expense Claim", "開支申領表"), ("Membership Application", "會員申請表"),
          ("Supplier Information Sheet", "供應商資料表"), ("Visitor Record", "訪客記錄")]
DEPARTMENTS = [("Finance", "財務部"), ("Human Resources", "人力資源部"), ("Logistics", "物流部"),
               ("Sales", "銷售部"), ("Customer Service", "客戶服務部")]
JOBS = [("Engineer", "工程師"), ("Teacher", "教師"), ("Accountant", "會計師"), ("Nurse", "護士"),
        ("Clerk", "文員"), ("Chef", "廚師"), ("Driver", "司機")]
DISTRICTS = [("Sha Tin", "沙田"), ("Wan Chai", "灣仔"), ("Tuen Mun", "屯門"),
             ("Kwun Tong", "觀塘"), ("Central", "中環"), ("Tai Po", "大埔")]
ITEMS = [("Printer paper", "影印紙"), ("Desk lamp", "枱燈"), ("Taxi fare", "的士費"),
         ("Office chair", "辦公椅"), ("Toner", "碳粉"), ("Lunch meeting", "午餐會議")]
RELATIONS = [("Son", "兒子"), ("Daughter", "女兒"), ("Spouse", "配偶"), ("Mother", "母親")]
REMARKS = [("Please call before delivery", "送貨前請致電"), ("Urgent", "急件"),
           ("Second request", "第二次申請")]


def value(kind: str, rng: random.Random, zh: bool) -> str | list[str]:
    """A value of `kind`; an address is a list of lines."""
    lang = "zh" if zh else "en"
    make = {
        "name": lambda: values.name(rng, lang)[0],
        "surname": lambda: values.pick(rng, values.SURNAMES, lang)[0],
        "date": lambda: _date(rng, zh),
        "phone": lambda: f"{rng.choice('2356789')}{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}",
        "email": lambda: values.email(rng, values.name(rng, "en")[0])[0],
        "address": lambda: _address(rng, zh),
        "company": lambda: values.pick(rng, values.BUSINESSES, lang)[0] + ("" if zh else " Ltd."),
        "occupation": lambda: values.pick(rng, JOBS, lang)[0],
        "country": lambda: values.pick(rng, values.COUNTRIES, lang)[0],
        "ref": lambda: f"{rng.choice(['REF', 'AB', 'HK', 'CS'])}/{rng.randint(2019, 2025)}/"
                       f"{rng.randint(0, 99999):05d}",
        "account": lambda: f"{rng.randint(100, 999)}-{rng.randint(100000, 999999)}-{rng.randint(100, 999)}",
        "amount": lambda: f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}.{rng.choice(['00', '50'])}",
        "department": lambda: values.pick(rng, DEPARTMENTS, lang)[0],
        "passport": lambda: f"{rng.choice('KHEP')}{rng.randint(1000000, 9999999)}",
        "plate": lambda: f"{rng.choice(['AB', 'KT', 'PX', 'UV'])} {rng.randint(10, 9999)}",
        "district": lambda: values.pick(rng, DISTRICTS, lang)[0],
        "remark": lambda: values.pick(rng, REMARKS, lang)[0],
        "item": lambda: values.pick(rng, ITEMS, lang)[0],
        "qty": lambda: str(rng.randint(1, 60)),
        "relation": lambda: values.pick(rng, RELATIONS, lang)[0],
    }
    return make[kind]()


def _date(rng: random.Random, zh: bool) -> str:
    y, m, d = rng.randint(1950, 2025), rng.randint(1, 12), rng.randint(1, 28)
    if zh:
        return f"{y}年{m}月{d}日"
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d} {_MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}"])


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _address(rng: random.Random, zh: bool) -> list[str]:
    street = rng.choice(values.STREETS)
    estate = rng.choice(values.ESTATES)
    flat, floor, number = rng.randint(1, 40), rng.randint(1, 40), rng.randint(1, 300)
    if zh:
        return [f"{street[3]}{street[1]}{number}號", f"{estate[1]}{floor}樓{flat}室"]
    return [f"Flat {flat}, {floor}/F, {estate[0]}", f"{number} {street[0]}, {street[2]}"]
