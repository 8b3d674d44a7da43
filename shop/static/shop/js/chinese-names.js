// A device without a Chinese font draws the Chinese name as empty boxes: there the name
// is left to screen readers (and its row of the product table hidden) instead. A missing
// glyph is as wide as a private-use character, which no text font draws.
(function () {
    var ctx = document.createElement("canvas").getContext("2d");
    var cjk = /[\u3400-\u9fff]/;
    function unreadable(el) {
        var text = el.textContent.trim();
        if (!ctx || !cjk.test(text)) { return false; }
        ctx.font = window.getComputedStyle(el).font;
        var boxes = new Array(Array.from(text).length + 1).join("\ue000");
        return ctx.measureText(text).width === ctx.measureText(boxes).width;
    }
    document.querySelectorAll(".chinese-name").forEach(function (el) {
        if (unreadable(el)) { el.classList.add("sr-only"); }
    });
    document.querySelectorAll(".product_page table td").forEach(function (td) {
        if (unreadable(td)) { td.parentNode.hidden = true; }
    });
})();
