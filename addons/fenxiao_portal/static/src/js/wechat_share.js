/** @odoo-module **/
/* Inside WeChat: wx.config with the server's signature, then how this page
 * is shown when shared to a chat or to Moments (title, description, image,
 * the link with the distributor's ref). */

function wechatShare() {
    const data = document.getElementById("o_fenxiao_wechat_share");
    if (!data || !window.wx) {
        return;
    }
    const { config, share } = JSON.parse(data.dataset.share);
    window.wx.config(config);
    window.wx.ready(() => {
        window.wx.updateAppMessageShareData(share);
        window.wx.updateTimelineShareData({
            title: share.title,
            link: share.link,
            imgUrl: share.imgUrl,
        });
    });
}

const jweixin = document.getElementById("o_fenxiao_jweixin");
if (jweixin && !window.wx) {
    jweixin.addEventListener("load", wechatShare);
} else {
    wechatShare();
}
