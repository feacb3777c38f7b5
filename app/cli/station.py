"""``cpdesk init`` (a new laptop's empty encrypted database) and ``cpdesk station`` (which 派出所
this database belongs to). The rules are in app/sync/station.py and docs/stations.md."""

from __future__ import annotations

import argparse

from app.cli.common import database, db_path, print_json, read_password


def add_parsers(commands, *, reports, ledgers) -> None:
    init = commands.add_parser(
        "init", help="make an empty encrypted database for a new laptop (then: cpdesk import MASTER-full.cpsync)")
    init.add_argument("--admin", default="admin", metavar="NAME",
                      help="this laptop's first admin account (password: $CPDESK_PASSWORD, else asked twice)")
    init.add_argument("--new-station", metavar="NAME",
                      help="found a new station (派出所) NAME; without it the database joins the station "
                           "of the first file imported")
    init.set_defaults(handler=cmd_init)

    station = commands.add_parser("station", help="show the station (派出所) this database belongs to")
    station.add_argument("--confirm", metavar="NAME",
                         help="admin, on the master laptop: confirm a station made by the upgrade under NAME")
    station.add_argument("--json", action="store_true", help="print JSON")
    station.set_defaults(handler=cmd_station)


def cmd_init(args: argparse.Namespace) -> int:
    from app.accounts.first_start import create_station, station_state
    from app.accounts.keyring import keyring_path
    from app.core.errors import UserError
    from app.sync.station import check_name, station_of

    path = db_path(args)
    if station_state(path) != "new" or keyring_path(path).exists():
        raise UserError(f"数据库已存在：{path}（cpdesk init 只建新的空数据库，不动已有的；请换一个 --db 路径）")
    station = None if args.new_station is None else check_name(args.new_station)
    password = read_password(f"{args.admin} 的密码：", confirm=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    login = create_station(path, username=args.admin, name="管理员", password=password, station=station)
    try:
        founded, device = station_of(login.db), login.db.device
    finally:
        login.db.close()
    print(f"已建立加密数据库：{path}（管理员 {login.officer.username}）")
    print(f"本机编号 {device.short_code}  设备ID {device.id}（编号写进纠纷和协议编号，所里每台电脑各不相同，"
          "可用 cpdesk device --code 改）")
    if founded is None:
        print(f"尚未归属派出所：导入本所主机的完整同步包即加入（cpdesk --db {path} import 主机完整同步包.cpsync）")
    else:
        print(f"已建立派出所{founded.label()}")
    print(f"恢复码：{login.recovery_code}（只显示这一次：请抄写后交所领导保管，忘记密码时用 cpdesk recover 重设）")
    return 0


def cmd_station(args: argparse.Namespace) -> int:
    from app.sync.station import confirm, station_of

    with database(args) as db:
        station = station_of(db) if args.confirm is None else confirm(db, name=args.confirm)
    if args.json:
        print_json(station.to_file() if station else None)
    elif station is None:
        print("本机尚未归属派出所：第一次导入同步包时加入该同步包的派出所")
    else:
        print(f"派出所{station.label()}  标识 {station.id}")
        if station.provisional:
            print("（升级时生成的临时归属：导入已确认派出所的同步包后即改属该所；"
                  "主机上由管理员用 cpdesk station --confirm 名称 确认）")
        if station.merged:
            print("已并入本所：" + "、".join(i[:8] for i in sorted(station.merged)))
    return 0
