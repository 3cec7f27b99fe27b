"""Loaders: extracted text of 财政项目支出绩效自评表 forms -> the ``raw`` schema."""
