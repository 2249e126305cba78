"""`refund-xl doctor`'s OneDrive check, both ways (issue 20): a path on OneDrive is flagged, a path
that merely contains the letters is not, and the line says which it is in words (a bare tick next
to the word "OneDrive" read as "on OneDrive")."""

from __future__ import annotations

import pytest

from refund_xl.cli import main
from refund_xl._excel import excel_setup

ON = [
    r"C:\Users\wang\OneDrive\文档\售后助手.xlsm",
    r"C:\Users\wang\OneDrive - 某某电商\售后\售后助手.xlsm",
    "/Users/wang/OneDrive/售后助手.xlsm",
    "https://mou-my.sharepoint.com/personal/wang/Documents/售后助手.xlsm",
]
OFF = [
    r"C:\售后\售后助手.xlsm",
    r"D:\备份\not_onedrive_files\售后助手.xlsm",
    r"C:\Users\wang\OneDriveBackup\售后助手.xlsm",
    r"C:\Users\wang\Documents\sharepoint导出\售后助手.xlsm",
    "/home/wang/文档/OneDrive使用说明/售后助手.xlsm",
    r"C:\Users\wang\Documents\OneDrive.xlsm",          # the file's own name is no folder
]


@pytest.fixture(autouse=True)
def _no_onedrive_client(monkeypatch):
    for key in excel_setup._ONEDRIVE_ENV:
        monkeypatch.delenv(key, raising=False)


@pytest.mark.parametrize("path", ON)
def test_a_path_on_onedrive_is_flagged(path):
    assert excel_setup._onedrive(path)


@pytest.mark.parametrize("path", OFF)
def test_a_path_that_only_looks_like_onedrive_is_not(path):
    assert not excel_setup._onedrive(path)


def test_the_roots_the_onedrive_client_announces_count_whatever_their_name(monkeypatch):
    monkeypatch.setenv("OneDriveCommercial", r"C:\Users\wang\某某电商")
    assert excel_setup._onedrive(r"C:\Users\wang\某某电商\售后\售后助手.xlsm")
    assert excel_setup._onedrive(r"c:/users/wang/某某电商/售后助手.xlsm")      # case and separators
    assert not excel_setup._onedrive(r"C:\Users\wang\某某电商备份\售后助手.xlsm")  # a sibling, not inside
    assert not excel_setup._onedrive(r"C:\Users\wang\某某电商")                    # the root itself is no file in it


def test_doctor_says_in_words_where_the_book_is(tmp_path, capsys):
    local = excel_setup.setup_book(tmp_path / "本地" / "售后.xlsm")
    main(["doctor", "--book", str(local)])
    out = capsys.readouterr().out
    assert "✔ 云同步文件夹：不在 OneDrive/SharePoint 同步文件夹里" in out
    assert "✔ OneDrive" not in out
    synced = excel_setup.setup_book(tmp_path / "OneDrive - 某某电商" / "售后.xlsm")
    assert main(["doctor", "--book", str(synced)]) == 2
    out = capsys.readouterr().out
    assert "✘ 云同步文件夹：在 OneDrive/SharePoint 同步文件夹里" in out and "ADD_WORKBOOK_TO_PYTHONPATH" in out
