"""The Excel import wizard (文件 → 从 Excel 导入…) over app/imports: choose, map, check, write, undo."""
