Return-Path: <yahoo-dev-null@yahoo-inc.com>
Delivered-To: zzzzz@xyz.org
Received: (qmail 8790 invoked by uid 505); 29 Jul 2002 03:28:42 -0000
Received: from yahoo-dev-null@yahoo-inc.com by blazing.xyz.org by uid 502 with qmail-scanner-1.12 (F-PROT: 3.12. Clear:. Processed in 0.195404 secs); 29 Jul 2002 03:28:42 -0000
Received: from e5.member.yahoo.com (216.136.131.107)
  by dsl092-072-xyz.bos1.dsl.speakeasy.net with SMTP; 29 Jul 2002 03:28:42 -0000
Received: (from yahoo@localhost)
	by e5.member.yahoo.com (8.11.3/8.11.3) id g6T3PIh88736;
	Sun, 28 Jul 2002 20:25:18 -0700 (PDT)
	(envelope-from yahoo-dev-null@yahoo-inc.com)
Date: Sun, 28 Jul 2002 20:25:18 -0700 (PDT)
Message-Id: <200207290325.g6T3PIh88736@e5.member.yahoo.com>
X-Authentication-Warning: e5.member.yahoo.com: yahoo set sender to <yahoo-dev-null@yahoo-inc.com> using -f
From: Yahoo! Member Services <my-login-request@yahoo-inc.com>
Errors-To: yahoo-dev-null@yahoo-inc.com
To: zzzzz@xyz.org
Subject: Yahoo! Email Verification

[email from Yahoo!]

