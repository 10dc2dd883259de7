<?xml version="1.0" encoding="UTF-8"?>
<!-- 生物医学新技术公示库: an Atom feed (feeds/*.xml) shown as a page when a browser opens it.
     Every feed names this file in <?xml-stylesheet?> (outputs/feeds.py `styled`); feed readers
     ignore it. Only text and attribute values of the feed are copied out (no
     disable-output-escaping: an entry's HTML content is never rendered here), and nothing is
     loaded from another origin. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
<xsl:output method="html" encoding="UTF-8" indent="no"/>

<xsl:template match="/">
<xsl:text disable-output-escaping="no">&#10;</xsl:text>
<html lang="zh-CN">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title>订阅源：<xsl:value-of select="atom:feed/atom:title"/></title>
<style>
body { margin: 0; font: 16px/1.7 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "PingFang SC",
  "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  color: #1f1f1f; background: #fafafa; }
main { max-width: 46em; margin: 0 auto; padding: 1em 1.2em 3em; }
.about { background: #e3f2fd; border-left: 4px solid #0d47a1; padding: .8em 1em; margin: 1em 0 1.5em; }
.about p { margin: .4em 0; }
.url { display: flex; gap: .4em; align-items: center; flex-wrap: wrap; }
.url input { flex: 1; min-width: 12em; font: 14px/1.6 monospace; padding: .3em .4em; }
h1 { font-size: 1.5em; line-height: 1.35; margin: .6em 0 .2em; }
.meta { color: #5f6368; font-size: .9em; margin: 0; }
ol { list-style: none; padding: 0; margin: 1em 0; }
li { padding: .6em 0; border-bottom: 1px solid #e0e0e0; }
li a { font-weight: 600; }
.tag { display: inline-block; font-size: .8em; padding: 0 .45em; margin-right: .4em; border-radius: .3em; background: #eceff1; color: #37474f; }
time { color: #5f6368; font-size: .9em; margin-right: .5em; font-variant-numeric: tabular-nums; }
a { color: #0d47a1; }
a:focus-visible, input:focus-visible { outline: 3px solid #c43e00; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<xsl:apply-templates select="atom:feed"/>
</main>
</body>
</html>
</xsl:template>

<xsl:template match="atom:feed">
<section class="about" aria-labelledby="what">
<p id="what"><strong>这是一个订阅源（Atom 格式）</strong>，供阅读器使用。你现在看到的是它在浏览器中的说明页。</p>
<p>订阅方法：复制下面的地址，在阅读器（如 Thunderbird、Inoreader、Feedly、NetNewsWire 等任一支持 RSS/Atom 的应用）中选择“添加订阅”并粘贴。有新的条目时，阅读器会提示你。订阅不需要在本站注册。</p>
<p class="url"><label for="feed-url">订阅地址</label>
<input id="feed-url" type="text" readonly="readonly" value="{atom:link[@rel='self']/@href}"/></p>
<p><xsl:if test="atom:link[@rel='related']">
<a href="{atom:link[@rel='related']/@href}">全部订阅源及使用方法</a> · </xsl:if>
<a href="{atom:link[@rel='alternate']/@href}">在网站上查看</a></p>
</section>
<h1><xsl:value-of select="atom:title"/></h1>
<p class="meta">更新于 <xsl:value-of select="substring(atom:updated, 1, 10)"/> · 最新 <xsl:value-of select="count(atom:entry)"/> 条 · 以公告原文为准</p>
<xsl:choose>
<xsl:when test="atom:entry">
<ol><xsl:apply-templates select="atom:entry"/></ol>
</xsl:when>
<xsl:otherwise><p>暂无条目。</p></xsl:otherwise>
</xsl:choose>
<p class="meta"><xsl:value-of select="atom:rights"/></p>
</xsl:template>

<xsl:template match="atom:entry">
<li>
<time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
<xsl:if test="atom:category/@label"><span class="tag"><xsl:value-of select="atom:category/@label"/></span></xsl:if>
<a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
</li>
</xsl:template>
</xsl:stylesheet>
