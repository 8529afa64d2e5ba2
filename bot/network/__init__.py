"""Help me ask (product.md): a short, concrete, easy-to-refuse request to someone the person
knows, drafted in their language (and in Dutch when they want), sent from their own phone.

:mod:`bot.network.choices` holds the codes (who, what, when, style), :mod:`bot.network.draft`
builds the request from the catalog's templates, :mod:`bot.network.render` the bot's own
questions and buttons around it. The dialogue engine decides; ``actions/ask_network.py`` shows
a draft and counts it.
"""
