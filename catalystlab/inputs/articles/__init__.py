"""The article reader: a saved article (text or HTML) in; its subject ticker, rivals, stance,
date, catalysts and numeric claims out (:func:`read_article`), each with the sentence it was
read from. Rules and limits: ``docs/articles.md``."""

from catalystlab.inputs.articles.article import Article, read_article
from catalystlab.inputs.articles.text import read_article_file

__all__ = ["Article", "read_article", "read_article_file"]
