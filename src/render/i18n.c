/*
 * Copyright (c) 2026 The gazette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
 */

/*
 * The UI message catalogs, compiled in: one table per locale, sorted by
 * key so a lookup is a binary search over static data (no files, no
 * locks, nothing to load at start).  English is the reference and holds
 * every key; the others may lack a key, which then falls back to
 * English.  Dates and numbers are not here: they are ICU's business.
 *
 * Adding a key: add it to msgs_en with a comment saying where it shows,
 * then to every other table, keeping each table in strcmp() order
 * (test_render checks that every key resolves in every locale).
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "render.h"

struct msg {
	const char	*key;	/* lookup key, as in {{msg.KEY}} */
	const char	*text;	/* UTF-8, static */
};

/* English: the reference catalog; every key lives here. */
static const struct msg msgs_en[] = {
	/* Heading of the date archive pages and the archive list. */
	{ "archive", "Archive" },
	/* Link from the held notice back to its post; ": TITLE" follows. */
	{ "back_to_post", "Back to the post" },
	/* Title of the 400 page. */
	{ "bad_request_title", "Bad request" },
	/* Link that turns a reply form back into a new comment. */
	{ "cancel_reply", "Cancel reply" },
	/* Label of the comment body field. */
	{ "comment_text", "Comment" },
	/* Heading of a post's comments; link text on lists. */
	{ "comments", "Comments" },
	/* Shown instead of the form on a post that takes no more comments. */
	{ "comments_closed", "Comments are closed." },
	/* Asks whether the reader meant another query. */
	{ "did_you_mean", "Did you mean" },
	/* Label of the commenter's email field. */
	{ "email_optional", "Email (optional)" },
	/* Title of the 5xx page. */
	{ "error_title", "Something went wrong" },
	/* Body of the held-for-moderation notice. */
	{ "held_text",
	  "Thank you. Your comment will appear once the owner approves it." },
	/* Title of the held-for-moderation notice. */
	{ "held_title", "Comment held for moderation" },
	/* Link to the front page. */
	{ "home", "Home" },
	/* Label of the hidden spam-trap field humans never see. */
	{ "honeypot", "Leave this field empty" },
	/* Heading of a post's labels. */
	{ "labels", "Labels" },
	/* Accessible name of the site navigation. */
	{ "menu", "Menu" },
	/* Title of the 405 page. */
	{ "method_not_allowed_title", "Method not allowed" },
	/* Label of the commenter's name field. */
	{ "name", "Name" },
	/* Pager link to the previous (newer) page of posts. */
	{ "newer_posts", "Newer posts" },
	/* Shown under a post that has no comments. */
	{ "no_comments", "No comments yet." },
	/* Shown on a list page that has no posts. */
	{ "no_posts", "No posts yet." },
	/* Shown when a search finds nothing. */
	{ "no_results", "Nothing matched your search." },
	/* Body of the 404 page. */
	{ "not_found_text", "Sorry, there is no page at this address." },
	/* Title of the 404 page. */
	{ "not_found_title", "Page not found" },
	/* Pager link to the next (older) page of posts. */
	{ "older_posts", "Older posts" },
	/* Accessible name of the pager; "Page N". */
	{ "page", "Page" },
	/* Heading of the comment form. */
	{ "post_comment", "Post a Comment" },
	/* Before the author's name under a post. */
	{ "posted_by", "Posted by" },
	/* Heading of a date archive, before the period. */
	{ "posts_from", "Posts from" },
	/* Heading of a label page, before the label. */
	{ "posts_labeled", "Posts with the label" },
	/* Page footer. */
	{ "powered_by", "Powered by gazette" },
	/* Submit button of the comment form. */
	{ "publish", "Publish" },
	/* Link under a comment that opens a reply form. */
	{ "reply", "Reply" },
	/* Above a reply form, before the parent commenter's name. */
	{ "reply_to", "Replying to" },
	/* Before the number of search results. */
	{ "results", "Results" },
	/* Between a commenter's name and the comment. */
	{ "says", "says" },
	/* Search box label and button. */
	{ "search", "Search" },
	/* The query was longer than gazette searches. */
	{ "search_cut", "Only the first words of the query were searched." },
	/* The search page without a query. */
	{ "search_empty", "Type a word or a phrase to search for." },
	/* Label of the search box. */
	{ "search_label", "Search the blog" },
	/* Heading of a search page, before the query. */
	{ "search_results", "Search results for" },
	/* Link for keyboard and screen reader users. */
	{ "skip_to_content", "Skip to content" },
	/* Link to the site's feeds. */
	{ "subscribe", "Subscribe" },
	/* Label of the commenter's web site field. */
	{ "url_optional", "Website (optional)" },
};

/* Spanish. */
static const struct msg msgs_es[] = {
	{ "archive", "Archivo" },
	{ "back_to_post", "Volver a la entrada" },
	{ "bad_request_title", "Solicitud incorrecta" },
	{ "cancel_reply", "Cancelar respuesta" },
	{ "comment_text", "Comentario" },
	{ "comments", "Comentarios" },
	{ "comments_closed", "Los comentarios están cerrados." },
	{ "did_you_mean", "Quizás quisiste decir" },
	{ "email_optional", "Correo electrónico (opcional)" },
	{ "error_title", "Algo ha salido mal" },
	{ "held_text",
	  "Gracias. Tu comentario aparecerá cuando el propietario lo "
	  "apruebe." },
	{ "held_title", "Comentario pendiente de moderación" },
	{ "home", "Inicio" },
	{ "honeypot", "Deja este campo vacío" },
	{ "labels", "Etiquetas" },
	{ "menu", "Menú" },
	{ "method_not_allowed_title", "Método no permitido" },
	{ "name", "Nombre" },
	{ "newer_posts", "Entradas más recientes" },
	{ "no_comments", "Todavía no hay comentarios." },
	{ "no_posts", "Todavía no hay entradas." },
	{ "no_results", "Ninguna entrada coincide con tu búsqueda." },
	{ "not_found_text",
	  "Lo sentimos, no hay ninguna página en esta dirección." },
	{ "not_found_title", "Página no encontrada" },
	{ "older_posts", "Entradas antiguas" },
	{ "page", "Página" },
	{ "post_comment", "Publicar un comentario" },
	{ "posted_by", "Publicado por" },
	{ "posts_from", "Entradas de" },
	{ "posts_labeled", "Entradas con la etiqueta" },
	{ "powered_by", "Con la tecnología de gazette" },
	{ "publish", "Publicar" },
	{ "reply", "Responder" },
	{ "reply_to", "Respondiendo a" },
	{ "results", "Resultados" },
	{ "says", "dijo" },
	{ "search", "Buscar" },
	{ "search_cut",
	  "Solo se buscaron las primeras palabras de la consulta." },
	{ "search_empty", "Escribe una palabra o una frase para buscar." },
	{ "search_label", "Buscar en el blog" },
	{ "search_results", "Resultados de búsqueda de" },
	{ "skip_to_content", "Saltar al contenido" },
	{ "subscribe", "Suscribirse" },
	{ "url_optional", "Sitio web (opcional)" },
};

/* Russian. */
static const struct msg msgs_ru[] = {
	{ "archive", "Архив" },
	{ "back_to_post", "Вернуться к записи" },
	{ "bad_request_title", "Неверный запрос" },
	{ "cancel_reply", "Отменить ответ" },
	{ "comment_text", "Комментарий" },
	{ "comments", "Комментарии" },
	{ "comments_closed", "Комментарии закрыты." },
	{ "did_you_mean", "Возможно, вы имели в виду" },
	{ "email_optional", "Эл. почта (необязательно)" },
	{ "error_title", "Что-то пошло не так" },
	{ "held_text",
	  "Спасибо! Ваш комментарий появится после того, как владелец блога "
	  "его одобрит." },
	{ "held_title", "Комментарий отправлен на модерацию" },
	{ "home", "Главная" },
	{ "honeypot", "Оставьте это поле пустым" },
	{ "labels", "Ярлыки" },
	{ "menu", "Меню" },
	{ "method_not_allowed_title", "Метод не разрешён" },
	{ "name", "Имя" },
	{ "newer_posts", "Новые записи" },
	{ "no_comments", "Комментариев пока нет." },
	{ "no_posts", "Записей пока нет." },
	{ "no_results", "По вашему запросу ничего не найдено." },
	{ "not_found_text", "К сожалению, по этому адресу ничего нет." },
	{ "not_found_title", "Страница не найдена" },
	{ "older_posts", "Старые записи" },
	{ "page", "Страница" },
	{ "post_comment", "Отправить комментарий" },
	{ "posted_by", "Автор:" },
	{ "posts_from", "Записи за" },
	{ "posts_labeled", "Записи с ярлыком" },
	{ "powered_by", "Работает на gazette" },
	{ "publish", "Опубликовать" },
	{ "reply", "Ответить" },
	{ "reply_to", "Ответ пользователю" },
	{ "results", "Результаты" },
	{ "says", "пишет" },
	{ "search", "Поиск" },
	{ "search_cut", "Поиск выполнен только по первым словам запроса." },
	{ "search_empty", "Введите слово или фразу для поиска." },
	{ "search_label", "Поиск по блогу" },
	{ "search_results", "Результаты поиска по запросу" },
	{ "skip_to_content", "Перейти к содержимому" },
	{ "subscribe", "Подписаться" },
	{ "url_optional", "Сайт (необязательно)" },
};

/* Korean. */
static const struct msg msgs_ko[] = {
	{ "archive", "보관함" },
	{ "back_to_post", "게시물로 돌아가기" },
	{ "bad_request_title", "잘못된 요청" },
	{ "cancel_reply", "답글 취소" },
	{ "comment_text", "댓글 내용" },
	{ "comments", "댓글" },
	{ "comments_closed", "댓글이 닫혔습니다." },
	{ "did_you_mean", "이것을 찾으셨나요?" },
	{ "email_optional", "이메일(선택 사항)" },
	{ "error_title", "문제가 발생했습니다" },
	{ "held_text", "감사합니다. 블로그 소유자가 승인하면 댓글이 표시됩니다." },
	{ "held_title", "댓글이 검토 대기 중입니다" },
	{ "home", "홈" },
	{ "honeypot", "이 입력란은 비워 두세요" },
	{ "labels", "라벨" },
	{ "menu", "메뉴" },
	{ "method_not_allowed_title", "허용되지 않는 메서드" },
	{ "name", "이름" },
	{ "newer_posts", "최근 게시물" },
	{ "no_comments", "아직 댓글이 없습니다." },
	{ "no_posts", "아직 게시물이 없습니다." },
	{ "no_results", "검색과 일치하는 결과가 없습니다." },
	{ "not_found_text", "죄송합니다. 이 주소에는 페이지가 없습니다." },
	{ "not_found_title", "페이지를 찾을 수 없습니다" },
	{ "older_posts", "이전 게시물" },
	{ "page", "페이지" },
	{ "post_comment", "댓글 쓰기" },
	{ "posted_by", "작성자:" },
	{ "posts_from", "다음 기간의 게시물:" },
	{ "posts_labeled", "다음 라벨이 지정된 게시물:" },
	{ "powered_by", "gazette 제공" },
	{ "publish", "게시" },
	{ "reply", "답글" },
	{ "reply_to", "답글 대상:" },
	{ "results", "결과" },
	{ "says", "님의 말" },
	{ "search", "검색" },
	{ "search_cut", "검색어의 앞부분만 검색했습니다." },
	{ "search_empty", "검색할 단어나 문구를 입력하세요." },
	{ "search_label", "블로그 검색" },
	{ "search_results", "검색 결과:" },
	{ "skip_to_content", "본문으로 건너뛰기" },
	{ "subscribe", "구독" },
	{ "url_optional", "웹사이트(선택 사항)" },
};

struct catalog {
	const char		*lang;	/* ISO 639-1 code, lower case */
	const struct msg	*msgs;	/* sorted by key */
	size_t			 n;	/* entries in msgs */
};

static const struct catalog catalogs[] = {
	{ "en", msgs_en, nitems(msgs_en) },
	{ "es", msgs_es, nitems(msgs_es) },
	{ "ru", msgs_ru, nitems(msgs_ru) },
	{ "ko", msgs_ko, nitems(msgs_ko) },
};

/* bsearch() comparison of a key with a catalog entry. */
static int
msg_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct msg *)entry)->key);
}

/*
 * The catalog for locale, or NULL.  Only the language subtag counts, so
 * "es-MX" and "es_ES.UTF-8" both get Spanish; case is ignored.
 */
static const struct catalog *
catalog_find(const char *locale)
{
	const char	*lang;
	size_t		 i, j;
	char		 c;

	if (locale == NULL)
		return NULL;
	for (i = 0; i < nitems(catalogs); i++) {
		lang = catalogs[i].lang;
		for (j = 0; lang[j] != '\0'; j++) {
			c = locale[j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != lang[j])
				break;
		}
		if (lang[j] != '\0')
			continue;
		c = locale[j];
		if (c == '\0' || c == '-' || c == '_' || c == '.')
			return &catalogs[i];
	}
	return NULL;
}

/* The text for key in c, or NULL when c lacks it. */
static const char *
catalog_get(const struct catalog *c, const char *key)
{
	const struct msg	*m;

	m = bsearch(key, c->msgs, c->n, sizeof(c->msgs[0]), msg_cmp);
	return m == NULL ? NULL : m->text;
}

const char *
render_msg(const char *locale, const char *key)
{
	const struct catalog	*c;
	const char		*text;

	if (key == NULL)
		return "";
	if ((c = catalog_find(locale)) != NULL &&
	    (text = catalog_get(c, key)) != NULL)
		return text;
	if ((text = catalog_get(&catalogs[0], key)) != NULL)
		return text;
	return key;
}

int
render_locale_known(const char *locale)
{
	return catalog_find(locale) != NULL;
}
