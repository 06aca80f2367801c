"""The answer engine: questions answered only with sentences from our published content, each with its source.

Plain Python, no Django. Modules: passages (content -> passages), understand (medicine, intent, scope),
index (hybrid BM25 + embeddings), compose (cited answer or abstention), engine (AnswerEngine), cli.
"""
