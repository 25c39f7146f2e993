Received: (qmail 9304 invoked by uid 505); 12 Aug 2002 16:57:57 -0000
Delivered-To: zzzzzz@xyz.com
Received: (qmail 19051 invoked by uid 74); 12 Aug 2002 16:58:16 -0000
Received: from travelercare@orbitz.com by agogo0 by uid 71 with qmail-scanner-1.13 
 (clamscan: 0.22.  Clear:SA:1(0/0):. 
 Processed in 0.774434 secs); 12 Aug 2002 16:58:16 -0000
Received: from unknown (HELO mailhost.wm.orbitz.com) (65.216.67.72)
  by mail0.tyva.xyz.com with SMTP; 12 Aug 2002 16:58:15 -0000
Received: from wl14 (sim-snat-01.wm.orbitz.com [10.50.100.11])
	by mailhost.wm.orbitz.com (8.12.1/8.12.1) with ESMTP id g7CGwEsF005188
	for <zzzzz@xyz.com>; Mon, 12 Aug 2002 11:58:14 -0500
Message-ID: <17728173.1029171478187.JavaMail.weblogic@wl14>
Date: Mon, 12 Aug 2002 11:57:58 -0500 (CDT)
From: Orbitz Traveler Care <travelercare@orbitz.com>
To: Rod <zzzzz@xyz.com>
Subject: Orbitz Travel Document
Mime-Version: 1.0
Content-Type: text/html
Content-Transfer-Encoding: 7bit


<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<html>
<head>
<title>Orbitz Travel Document</title>
</head>

