"""A community registers by scanning the poster (on a phone, and on a desktop); the panel
shortlists it in the admin at the same width; the community signs in and sees its status."""

import io
import re

import pytest
import zxingcpp
from django.contrib.auth.models import Group, User
from PIL import Image

from registrations.models import Registration

from .conftest import assert_fits_the_screen, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan_poster(page, server):
    png = page.request.get(f"{server.url}/2016/register/poster.png").body()
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def fill_valid_form(page):
    def field(label):
        return page.get_by_label(label, exact=True)

    field("小区名称").fill("浏览器测试花园")
    field("地址").fill("五马街道测试路8号")
    field("街道（镇）").select_option(label="五马街道")
    field("社区").select_option(label="五马一社区")
    field("建成年份").fill("2006")
    field("总户数").fill("480")
    field("常住人口").fill("1500")
    field("出租户数").fill("60")
    field("出租房流动人口").fill("150")
    field("其中已登记人数").fill("148")
    field("监控摄像头数量").fill("90")
    field("出入口设有门禁").check()
    field("出入口数量").fill("2")
    field("保安人数").fill("10")
    field("每日巡逻次数").fill("4")
    field("居民治安安全满意度（%）").fill("95")
    for box in page.locator("input[name^=declares_]").all():
        box.check()
    field("业委会自荐").check()
    field("推荐单位名称").fill("浏览器测试花园业主委员会")
    field("联系人").fill("测试")
    field("联系人手机号码").fill("1391234")  # a mistake a resident makes
    field("平安创建工作情况及亮点").fill("封闭管理，24小时值守。")


def test_register_by_qr_code_then_shortlist_then_sign_in(
    own_site, visitor, width, browser, screenshot
):
    demo_server = own_site
    url = scan_poster(visitor, demo_server)
    assert url == f"{demo_server.url}/2016/register/"

    visitor.goto(url)
    fill_valid_form(visitor)
    visitor.get_by_role("button", name="提交报名").click()
    # The mistake is explained next to the field and in the summary; nothing is lost.
    assert visitor.locator(".error-summary").is_visible()
    assert "手机号码" in visitor.locator(".error-summary").inner_text()
    assert visitor.get_by_label("小区名称").input_value() == "浏览器测试花园"
    screenshot(visitor, f"registration-error-zh-{width}")
    assert_fits_the_screen(visitor)

    visitor.get_by_label("联系人手机号码").fill("13912345678")
    visitor.get_by_role("button", name="提交报名").click()
    assert visitor.get_by_role("heading", name="报名成功").is_visible()
    reference = visitor.locator(".reference strong").inner_text()
    assert re.fullmatch(r"PA2016-\d{5}", reference)
    status_link = visitor.locator(".status-link a").get_attribute("href")
    screenshot(visitor, f"registration-done-zh-{width}")

    # The review panel shortlists it in the Wagtail admin.
    panel = User.objects.create_user("panel-member", password="panel-pass-2016")
    panel.groups.add(Group.objects.get(name="评审小组"))
    admin = sign_in_to_admin(browser, demo_server, "panel-member", "panel-pass-2016", width)
    admin.goto(f"{demo_server.url}/admin/snippets/registrations/registration/?q=浏览器测试")
    registration = Registration.objects.get(reference=reference)
    admin.goto(
        f"{demo_server.url}/admin/bulk/registrations/registration/shortlist/"
        f"?next=/admin/snippets/registrations/registration/&id={registration.pk}"
    )
    admin.get_by_role("button", name="确认").click()
    admin.wait_for_url("**/admin/snippets/registrations/registration/")
    registration.refresh_from_db()
    assert registration.status == "shortlisted"
    admin.context.close()

    # The registrant's status link now says so.
    visitor.goto(f"{demo_server.url}{status_link}")
    assert "已入围" in visitor.locator("main").inner_text()

    # The community signs in with the account the shortlisting made.
    account = registration.account
    account.set_password("community-pass-2016")
    account.save()
    visitor.goto(f"{demo_server.url}/community/login/")
    visitor.get_by_label("用户名").fill(account.username)
    visitor.get_by_label("密码").fill("community-pass-2016")
    visitor.get_by_role("button", name="登录").click()
    visitor.wait_for_url("**/community/")
    assert "浏览器测试花园" in visitor.locator("main").inner_text()
    visitor.get_by_role("link", name=re.compile("浏览器测试花园")).click()
    assert "已入围" in visitor.locator("main").inner_text()
    screenshot(visitor, f"community-dashboard-zh-{width}")
